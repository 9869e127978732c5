import * as v from 'valibot';
import {siteShape, type SettingsShape} from './sections.js';
import {settingsRules, type RuleOptions} from './settings-rules.js';

/**
 * The site profile a technician sets up once per clinic: what to back up, where to, how long to
 * keep it, and how strict the guideline checks are. One valibot definition gives the types, the
 * checks and the defaults (sections.ts: fields; settings-rules.ts: rules across fields).
 */
export function siteSettingsSchema(options: RuleOptions = {}) {
	return v.pipe(
		siteShape,
		v.rawCheck<SettingsShape>(({dataset, addIssue}) => {
			if (!dataset.typed) {
				return;
			}

			for (const {field, problem} of settingsRules.flatMap(rule => rule(dataset.value, options))) {
				addIssue({message: `${field}: ${problem}`});
			}
		}),
		v.transform(withTargetRetention),
	);
}

type ResolvedTarget = Omit<SettingsShape['targets'][number], 'retention'> & {retention?: Retention};

/** A target's own retention is the site's with the fields it names changed. */
function withTargetRetention(settings: SettingsShape): Omit<SettingsShape, 'targets'> & {targets: ResolvedTarget[]} {
	return {
		...settings,
		targets: settings.targets.map(({retention, ...target}) => retention
			? {...target, retention: {...settings.retention, ...Object.fromEntries(Object.entries(retention).filter(([, value]) => value !== undefined))}}
			: target),
	};
}

export type SiteSettings = v.InferOutput<ReturnType<typeof siteSettingsSchema>>;
export type Retention = SettingsShape['retention'];
export type ComplianceThresholds = SettingsShape['compliance'];
export type SentinelThresholds = SettingsShape['sentinel'];
export type Language = SettingsShape['language'];
export type Plan = SiteSettings['plans'][number];
export type Target = SiteSettings['targets'][number];
export type TargetKind = Target['kind'];

/** The settings of a site nobody has set up yet: every default, from the schema. */
export function defaultSettings(): SiteSettings {
	return v.parse(siteSettingsSchema(), {});
}
