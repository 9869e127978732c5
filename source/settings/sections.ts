import * as v from 'valibot';
import {absolutePath, count, fraction, list, name, oneOf, strict, text} from './fields.js';
import {alertsSchema} from './alerts-config.js';

/**
 * What settings.json may hold, section by section, with each field's default next to its type.
 * A missing field takes its default, also inside a section ({"retention":{"daily":3}} keeps the
 * other retention defaults). To add a section: write its schema here and add it to `siteEntries`.
 */
/** Counts of days and of generations. */
const days = count(0, 10_000);

export const retentionSection = strict({
	keepLast: v.optional(days, 3),
	daily: v.optional(days, 7),
	weekly: v.optional(days, 4),
	monthly: v.optional(days, 12),
	yearly: v.optional(days, 3),
});

export const complianceSection = strict({
	minGenerations: v.optional(days, 3),
	/** Days within which a full verification must have passed. */
	verifyWithinDays: v.optional(days, 31),
	/** Days within which a restore drill must have passed. */
	drillWithinDays: v.optional(days, 90),
	/** Days an offline copy may be old and still count. */
	offlineWithinDays: v.optional(days, 8),
	/** Days the rotation's due cartridge may stay out of the bay before a plan run fails. */
	rotationOverdueDays: v.optional(days, 14),
});

export const sentinelSection = strict({
	changedShare: v.optional(fraction(0, 1), 0.2),
	deletedShare: v.optional(fraction(0, 1), 0.2),
	renamedShare: v.optional(fraction(0, 1), 0.1),
	newExtensionFiles: v.optional(count(0, 10_000_000), 50),
	entropyBitsPerByte: v.optional(fraction(0, 8), 7.5),
});

export const targetSection = strict({
	/** Name used in plans and the UI, e.g. "RDX-A" or "NAS". */
	name: name(),
	/**
	 * Cartridge: a removable medium found by its repository label wherever it is mounted;
	 * folder: a fixed path (NAS share, second disk).
	 */
	kind: oneOf(['cartridge', 'folder'] as const),
	/** Repository label to look for (cartridges). */
	label: v.optional(text()),
	/** Repository folder (folders), or a cartridge's folder below its mount point (default "sedai"). */
	path: v.optional(text()),
	/** This target's own retention; a field left out is the site's (see schema.ts). */
	retention: v.optional(strict({keepLast: v.optional(days), daily: v.optional(days), weekly: v.optional(days), monthly: v.optional(days), yearly: v.optional(days)})),
});

/** A database dumped into every generation of the plan as databases/<database>.pgdump. */
export const dumpSection = strict({
	kind: oneOf(['postgresql'] as const),
	database: name(),
	/** Host name or Unix socket folder; default pg_dump's (the local socket). */
	host: v.optional(text()),
	port: v.optional(count(1, 65_535)),
	/** The role pg_dump runs as (-U). */
	user: v.optional(text()),
	/** A root-only passfile (PGPASSFILE) when the role needs a password. */
	passwordFile: v.optional(absolutePath()),
});

/** A command run by /bin/sh around a plan's backup, stopped after its time limit. */
export const hookSection = strict({
	command: name(),
	timeoutSeconds: v.optional(count(1, 86_400), 600),
});

export const planSection = strict({
	name: name(),
	/** Defaults to the site's sources. */
	sources: v.optional(list(absolutePath())),
	/** Target names: two or more kinds make "more than one method". */
	targets: list(text()),
	dumps: v.optional(list(dumpSection)),
	/** Before: a failure fails the run, nothing is backed up. */
	before: v.optional(list(hookSection)),
	/** After: always run, also after a failed backup; a failure is a warning. */
	after: v.optional(list(hookSection)),
});

/** A site's own drill check: a command run with the restored folder in SEDAI_RESTORED, passing on exit 0. */
export const drillCheckSection = strict({
	name: name(),
	command: text(),
	timeoutSeconds: v.optional(count(1, 86_400), 600),
});

export const drillSection = strict({
	checks: v.optional(list(drillCheckSection), []),
	/** Live files compared with their restored copies in each drill. */
	liveSample: v.optional(count(0, 100_000), 200),
});

export const siteEntries = {
	site: v.optional(text(), 'My clinic'),
	language: v.optional(oneOf(['auto', 'en', 'ja'] as const), 'auto'),
	sources: v.optional(list(absolutePath()), []),
	targets: v.optional(list(targetSection), []),
	plans: v.optional(list(planSection), []),
	/** Target names of cartridges rotated A → B → C. */
	rotation: v.optional(list(text()), []),
	retention: v.optional(retentionSection, {}),
	compliance: v.optional(complianceSection, {}),
	sentinel: v.optional(sentinelSection, {}),
	/** Where test restores go when no folder is named. */
	scratch: v.optional(absolutePath(), '/var/tmp/sedai-restore'),
	/** Passphrase: asked in the UI each session, or read from a root-only file. Never stored here. */
	passphraseFile: v.optional(absolutePath()),
	/** Who hears of a failed or SUSPECT night: mail and/or webhook (alerts-config.ts). */
	alerts: v.optional(alertsSchema),
	/** Restore drills: the site's own checks of a restored copy. */
	drill: v.optional(drillSection, {}),
};

export const siteShape = strict(siteEntries);

/** Settings as read, before the rules across fields and the targets' retention are applied. */
export type SettingsShape = v.InferOutput<typeof siteShape>;
