/**
 * The drill report, schema version 1: what a restore drill proved, kept by the clinic. It is
 * written as JSON (renderJson) and rendered for people as Markdown and a printable HTML page.
 * Times are ISO 8601 strings in UTC; durations and ages are milliseconds; sizes are bytes.
 * Everything a reader needs is a value here: renderers translate labels and codes, never data.
 * A change that breaks readers of version 1 bumps `version`.
 */
export type ReportLanguage = 'en' | 'ja';

/** One user table of a loaded database and its exact row count (count(*)). */
export type TableCount = {schema: string; name: string; rows: number};

/** One PostgreSQL dump from the restored tree, loaded into the drill's throwaway server. */
export type DatabaseCheck = {
	/** The dump's path in the restored tree. */
	file: string;
	format: 'plain' | 'custom';
	/** The database it was loaded into on the throwaway server. */
	database: string;
	ok: boolean;
	tables: TableCount[];
	/** PostgreSQL's own message (its first lines) when the dump did not load. */
	error?: string;
	durationMs: number;
};

/** The databases check as a whole. */
export type DatabasesCheck = {
	/** False when PostgreSQL is not installed: the check could not run (it does not fail the drill). */
	available: boolean;
	/** Why the check could not run or found nothing, and what to do (English; renderers word `reason`). */
	note?: string;
	reason?: 'postgres-missing' | 'no-dumps';
	databases: DatabaseCheck[];
};

/** A site's own check (settings drill.checks): a command run against the restored tree. */
export type SiteCheckResult = {
	name: string;
	/** Exit 0 within the time limit. */
	ok: boolean;
	exitCode?: number;
	/** The last lines it printed (stdout and stderr). */
	output: string;
	durationMs: number;
	timedOut: boolean;
};

export type SmartVerdict = 'passed' | 'failed' | 'unknown';

export type DrillStepId = 'open-medium' | 'check-chain' | 'restore' | 'verify' | 'compare-live' | 'application-check' | 'sign-off';

export type DrillStep = {
	id: DrillStepId;
	status: 'passed' | 'failed' | 'skipped';
	durationMs: number;
	/** A short note from the step, e.g. an error sentence. */
	detail?: string;
};

/** Why a drill failed; the renderers word each code in the report's language. */
export type VerdictReasonCode = 'smart-failed' | 'chain-broken' | 'restore-failed' | 'byte-mismatch' | 'missing-from-live' | 'database-failed' | 'site-check-failed' | 'cancelled' | 'other';

export type VerdictReason = {code: VerdictReasonCode; detail?: string};

export type LiveStatus = 'identical' | 'changed' | 'missing';

export type DrillReport = {
	version: 1;
	/** The language the report was written in (its Markdown and HTML). */
	language: ReportLanguage;
	/** The clinic or site name from settings. */
	site: string;
	startedAt: string;
	finishedAt: string;
	/** The IANA time zone times are shown in (e.g. "Asia/Tokyo"); UTC when absent. */
	timeZone?: string;
	operator: string;
	witness: string;
	note: string;
	medium: {
		label: string;
		id: string;
		/** E.g. "rdx", "usb", "nas". */
		kind: string;
		/** When it was last unplugged (absent: it was online). */
		offlineSince?: string;
		smart: {verdict: SmartVerdict; detail?: string};
	};
	generation: {
		seq: number;
		id: string;
		time: string;
		/** How old the generation was at the drill: the data a recovery from it would lose (RPO). */
		ageMs: number;
	};
	chain: {ok: boolean; detail?: string};
	verification: {
		ok: boolean;
		filesChecked: number;
		bytesChecked: number;
		/** Files whose restored bytes differ from the manifest. */
		mismatches: Array<{path: string; problem: string}>;
	};
	restored: {files: number; bytes: number};
	/** A sample of restored files compared with the live source. */
	liveComparison: {
		sampled: number;
		identical: number;
		/** Changed since the backup: expected. */
		changed: number;
		/** Missing from the live system: a finding. */
		missing: number;
		samples: Array<{path: string; status: LiveStatus}>;
	};
	applicationChecks: {databases: DatabasesCheck; site: SiteCheckResult[]};
	steps: DrillStep[];
	/** Wall time of the whole drill: the recovery time (RTO). */
	totalMs: number;
	verdict: {passed: boolean; reasons: VerdictReason[]};
};
