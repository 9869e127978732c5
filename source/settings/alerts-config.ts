import * as v from 'valibot';
import {SedaiError} from '../core/errors.js';

/**
 * Where a site's alerts go, from `alerts` in settings.json: mail through the local sendmail or
 * an SMTP server, and/or an HTTP webhook. sections.ts makes it part of the site settings.
 *
 *     "alerts": {
 *       "email": {"to": ["it@clinic.example"], "from": "sedai@ehr-server", "smtp": {"host": "192.168.1.5", "port": 25}},
 *       "webhook": {"url": "http://192.168.1.9:8080/hooks/sedai"},
 *       "timeoutMs": 10000
 *     }
 */
const address = v.pipe(v.string(), v.trim(), v.minLength(3), v.includes('@', 'an e-mail address needs an @'));

const smtpSchema = v.object({
	host: v.pipe(v.string(), v.minLength(1)),
	port: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(65_535)), 25),
	/** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
	secure: v.optional(v.boolean(), false),
	user: v.optional(v.string()),
	/** Read from this root-only file, never stored in settings.json. */
	passwordFile: v.optional(v.string()),
});

const emailSchema = v.object({
	to: v.union([address, v.pipe(v.array(address), v.minLength(1))]),
	from: v.optional(address),
	/** Default: the local sendmail (`sendmail -t`), e.g. postfix or msmtp-mta. */
	smtp: v.optional(smtpSchema),
	sendmail: v.optional(v.string(), '/usr/sbin/sendmail'),
});

const webhookSchema = v.object({
	url: v.pipe(v.string(), v.url('the webhook needs a full URL, e.g. http://192.168.1.9:8080/hook'), v.regex(/^https?:/u, 'the webhook URL must be http or https')),
});

export const alertsSchema = v.object({
	email: v.optional(emailSchema),
	webhook: v.optional(webhookSchema),
	/** Per alert; an unreachable mail server must not hold the night's run for long. */
	timeoutMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(100), v.maxValue(120_000)), 10_000),
});

export type AlertsConfig = v.InferOutput<typeof alertsSchema>;
export type EmailConfig = v.InferOutput<typeof emailSchema>;
export type WebhookConfig = v.InferOutput<typeof webhookSchema>;

/** The `alerts` section of the settings (none: an empty config, no alerts). */
export function alertsConfig(settings: {alerts?: unknown}): AlertsConfig {
	const result = v.safeParse(alertsSchema, settings.alerts ?? {});
	if (result.success) {
		return result.output;
	}

	const issue = result.issues[0];
	const where = ['alerts', ...(issue.path ?? []).map(item => String(item.key))].join('.');
	throw new SedaiError('bad-config', `The setting ${where} is not valid (${issue.message}): fix it in settings.json.`);
}

export function hasAlerts(config: AlertsConfig): boolean {
	return Boolean(config.email ?? config.webhook);
}
