import type {PlanRun} from '../../settings/run-status.js';
import type {AlertsConfig} from '../../settings/alerts-config.js';
import {alertBody, alertKind, alertPayload, alertSubject, type AlertKind} from './alert-message.js';
import {sendMail} from './send-mail.js';
import {sendWebhook} from './send-webhook.js';

/**
 * Tell the site when a plan run failed or sealed a SUSPECT generation. Never throws: each
 * channel's outcome comes back, and a failed alert is the caller's warning, not the backup's failure.
 */
export type AlertOutcome = {channel: 'email' | 'webhook'; ok: boolean; message: string};

export async function sendAlert(config: AlertsConfig, kind: AlertKind, run: PlanRun): Promise<AlertOutcome[]> {
	const sends: Array<Promise<AlertOutcome>> = [];
	const attempt = async (channel: AlertOutcome['channel'], where: string, send: () => Promise<void>): Promise<AlertOutcome> => {
		try {
			await send();
			return {channel, ok: true, message: `alert sent to ${where}`};
		} catch (error) {
			return {channel, ok: false, message: `The ${channel} alert was not sent: ${error instanceof Error ? error.message : String(error)}.`};
		}
	};

	if (config.email) {
		const {email} = config;
		sends.push(attempt('email', [email.to].flat().join(', '), async () => sendMail(email, {subject: alertSubject(kind, run), text: alertBody(kind, run)}, config.timeoutMs)));
	}

	if (config.webhook) {
		const {webhook} = config;
		sends.push(attempt('webhook', webhook.url, async () => sendWebhook(webhook, alertPayload(kind, run), config.timeoutMs)));
	}

	return Promise.all(sends);
}

/** The end of a plan run: alert if it failed or is suspect; a good night sends nothing. */
export async function notifyRun(config: AlertsConfig, run: PlanRun): Promise<AlertOutcome[]> {
	const kind = alertKind(run);
	return kind ? sendAlert(config, kind, run) : [];
}
