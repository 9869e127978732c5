/**
 * The parts of the site profile the policy reads, as plain shapes (settings/ defines and
 * validates the profile; its types fit these). Kept here so core needs no settings code.
 */
export type Retention = {keepLast: number; daily: number; weekly: number; monthly: number; yearly: number};

export type SentinelThresholds = {changedShare: number; deletedShare: number; renamedShare: number; newExtensionFiles: number; entropyBitsPerByte: number};

export type TargetRef = {name: string; kind: 'cartridge' | 'folder'; label?: string; path?: string; retention?: Retention};

export type ComplianceThresholds = {minGenerations: number; verifyWithinDays: number; drillWithinDays: number; offlineWithinDays: number};

export type SitePolicy = {retention: Retention; compliance: ComplianceThresholds; targets: TargetRef[]; rotation: string[]};
