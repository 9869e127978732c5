import type {WebhookConfig} from '../../settings/alerts-config.js';

/** POST the alert as JSON; any 2xx is delivered. Throws a one-sentence Error otherwise. */
export async function sendWebhook(config: WebhookConfig, payload: Record<string, unknown>, timeoutMs: number): Promise<void> {
	let response: Response;
	try {
		response = await fetch(config.url, {
			method: 'POST',
			headers: {'content-type': 'application/json; charset=utf-8', 'user-agent': 'sedai'},
			body: JSON.stringify(payload),
			signal: AbortSignal.timeout(timeoutMs),
		});
	} catch (error) {
		const cause = (error as {cause?: {code?: string}}).cause?.code ?? (error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : String(error));
		throw new Error(`the webhook ${config.url} could not be reached (${cause})`, {cause: error});
	}

	// Drain the body so the connection closes.
	await response.arrayBuffer().catch(() => undefined);
	if (!response.ok) {
		throw new Error(`the webhook ${config.url} answered HTTP ${response.status}`);
	}
}
