/**
 * `lsblk --json` parsing, pure. Handles both the current format (booleans, byte sizes with -b,
 * a `mountpoints` array) and util-linux < 2.37 (strings "0"/"1", human sizes, one `mountpoint`).
 */
export type BlockNode = {
	name: string;
	path: string;
	type: string;
	size: number | undefined;
	removable: boolean;
	readOnly: boolean;
	rotational: boolean | undefined;
	transport: string | undefined;
	model: string | undefined;
	serial: string | undefined;
	fsType: string | undefined;
	label: string | undefined;
	uuid: string | undefined;
	/** Real mount points only ([SWAP] and empty entries dropped). */
	mountpoints: string[];
	fsAvailable: number | undefined;
	fsSize: number | undefined;
	children: BlockNode[];
};

/** The columns Sedai asks for; all exist in util-linux ≥ 2.33 except MOUNTPOINTS (2.37). */
export const lsblkColumns = ['NAME', 'PATH', 'TYPE', 'SIZE', 'RM', 'RO', 'ROTA', 'TRAN', 'MODEL', 'SERIAL', 'FSTYPE', 'LABEL', 'UUID', 'MOUNTPOINTS', 'FSAVAIL', 'FSSIZE'];

type Raw = Record<string, unknown>;

export function parseLsblk(json: string | unknown): BlockNode[] {
	const data = (typeof json === 'string' ? JSON.parse(json) : json) as {blockdevices?: unknown};
	if (!data || !Array.isArray(data.blockdevices)) {
		throw new Error('lsblk output has no "blockdevices" list');
	}

	return (data.blockdevices as Raw[]).map(raw => node(raw));
}

function node(raw: Raw): BlockNode {
	const name = text(raw['name']) ?? text(raw['kname']) ?? '?';
	return {
		name,
		path: text(raw['path']) ?? `/dev/${name}`,
		type: text(raw['type']) ?? 'disk',
		size: bytes(raw['size']),
		removable: flag(raw['rm']) ?? false,
		readOnly: flag(raw['ro']) ?? false,
		rotational: flag(raw['rota']),
		transport: text(raw['tran']),
		model: text(raw['model'])?.trim(),
		serial: text(raw['serial'])?.trim(),
		fsType: text(raw['fstype']),
		label: text(raw['label']),
		uuid: text(raw['uuid']),
		mountpoints: mountpointsOf(raw),
		fsAvailable: bytes(raw['fsavail']),
		fsSize: bytes(raw['fssize']),
		children: Array.isArray(raw['children']) ? (raw['children'] as Raw[]).map(child => node(child)) : [],
	};
}

function text(value: unknown): string | undefined {
	if (typeof value === 'string' && value !== '') {
		return value;
	}

	return undefined;
}

export function flag(value: unknown): boolean | undefined {
	if (typeof value === 'boolean') {
		return value;
	}

	if (value === '1' || value === 1) {
		return true;
	}

	if (value === '0' || value === 0) {
		return false;
	}

	return undefined;
}

const units: Record<string, number> = {'': 1, B: 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40, P: 2 ** 50};

/** Bytes from a number, a digit string, or lsblk's human form ("14.3G"; approximate). */
export function bytes(value: unknown): number | undefined {
	if (typeof value === 'number' && Number.isFinite(value)) {
		return value;
	}

	if (typeof value !== 'string') {
		return undefined;
	}

	const match = /^(\d+(?:[.,]\d+)?)\s*([bkmgtp]?)i?b?$/i.exec(value.trim());
	if (!match) {
		return undefined;
	}

	return Math.round(Number(match[1].replace(',', '.')) * units[match[2].toUpperCase()]);
}

function mountpointsOf(raw: Raw): string[] {
	const list = Array.isArray(raw['mountpoints']) ? raw['mountpoints'] as unknown[] : [raw['mountpoint']];
	return list.filter((entry): entry is string => typeof entry === 'string' && entry.startsWith('/'));
}

/** Every node, depth first (disks, then their partitions, then what sits on those). */
export function flatten(nodes: BlockNode[]): BlockNode[] {
	return nodes.flatMap(item => [item, ...flatten(item.children)]);
}
