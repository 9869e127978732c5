import type {OperationEvent} from '../app/operations/events.js';
import {isSedaiError} from '../core/errors.js';
import {detectCapabilities, type Capabilities} from '../text/capabilities.js';
import {formatBytes, formatCount, formatRate} from '../text/format.js';
import {errorText} from '../text/messages/error-text.js';
import type {Language} from '../text/messages/render.js';
import {ProgressLine} from './progress-line.js';
import {outputLanguage} from './language.js';

/**
 * Where a headless command's words go. `json`: one JSON object per line, each with a `type`
 * (progress, warning, error, summary last). `tty`: a live bar on stderr, results on stdout.
 * `plain` (no terminal, e.g. a timer's log): phases, warnings and a progress line every 5 s.
 */
export type OutputMode = 'json' | 'tty' | 'plain';

export class Output {
	readonly capabilities: Capabilities;
	private readonly line: ProgressLine | undefined;
	private lastProgress = Date.now();
	private summarized = false;

	constructor(readonly mode: OutputMode, private readonly stdout: NodeJS.WriteStream = process.stdout, private readonly stderr: NodeJS.WriteStream = process.stderr) {
		this.capabilities = detectCapabilities(process.env, Boolean(stderr.isTTY));
		this.line = mode === 'tty' ? new ProgressLine(stderr, this.capabilities) : undefined;
	}

	static choose(json: boolean | undefined): Output {
		if (json) {
			return new Output('json');
		}

		return new Output(process.stderr.isTTY ? 'tty' : 'plain');
	}

	/** The operation's events: printed as they are in JSON mode (see readme "JSON lines"), as a live line on a terminal. */
	readonly onEvent = (event: OperationEvent): void => {
		switch (this.mode) {
			case 'json': {
				if (event.type === 'progress') {
					const now = Date.now();
					if (now - this.lastProgress < 250) {
						return;
					}

					this.lastProgress = now;
				}

				this.json(event);
				break;
			}

			case 'tty': {
				if (event.type === 'progress' || event.type === 'phase' || event.type === 'warning') {
					this.line!.handle(event);
				}

				break;
			}

			case 'plain': {
				switch (event.type) {
					case 'progress': {
						const now = Date.now();
						if (now - this.lastProgress < 5000) {
							return;
						}

						this.lastProgress = now;
						const percent = event.bytesTotal > 0 ? Math.floor((event.bytesDone / event.bytesTotal) * 100) : 0;
						this.stderr.write(`${event.kind} ${event.phase}: ${percent}% ${formatBytes(event.bytesDone)}/${formatBytes(event.bytesTotal)}, ${formatCount(event.filesDone)}/${formatCount(event.filesTotal)} files, ${formatRate(event.rate)}\n`);

						break;
					}

					case 'phase': {
						this.stderr.write(`${event.message}\n`);

						break;
					}

					case 'warning': {
						this.stderr.write(`warning: ${event.message}\n`);

						break;
					}
				// No default
				}

				break;
			}
		}
	};

	/** Human text on stdout (nothing in JSON mode). */
	text(...lines: string[]): void {
		if (this.mode === 'json') {
			return;
		}

		this.line?.clear();
		for (const line of lines) {
			this.stdout.write(`${line}\n`);
		}
	}

	/** JSON mode only: an extra record line (e.g. one per generation). */
	record(type: string, data: Record<string, unknown>): void {
		if (this.mode === 'json') {
			this.json({type, ...data});
		}
	}

	warning(code: string, message: string): void {
		if (this.mode === 'json') {
			this.json({type: 'warning', code, message});
		} else {
			this.line?.clear();
			this.stderr.write(`warning: ${message}\n`);
		}
	}

	summary(data: Record<string, unknown>, human: string[] = []): void {
		this.summarized = true;
		if (this.mode === 'json') {
			this.json({type: 'summary', ...data});
		} else {
			this.text(...human);
		}
	}

	error(error: unknown, exitCode: number): void {
		const {code, message} = describeError(error);
		if (this.mode === 'json') {
			this.json({type: 'error', code, message});
			if (!this.summarized) {
				this.json({type: 'summary', ok: false, exitCode});
			}
		} else {
			this.line?.clear();
			this.stderr.write(`sedai: ${describeError(error, outputLanguage()).text}\n`);
			if (!isSedaiError(error) && process.env['SEDAI_DEBUG'] === '1' && error instanceof Error) {
				this.stderr.write(`${error.stack ?? ''}\n`);
			}
		}
	}

	private json(value: unknown): void {
		this.stdout.write(`${JSON.stringify(value)}\n`);
	}
}

/**
 * An error as the CLI reports it: a stable code, the English sentence (--json and the journal),
 * and `text`, the same sentence in `language` when the error carries a message code.
 */
export function describeError(error: unknown, language: Language = 'en'): {code: string; message: string; text: string} {
	if (isSedaiError(error)) {
		return {code: error.code, message: error.message, text: errorText(error, language)};
	}

	const text = error instanceof Error ? error.message : String(error);
	const debug = process.env['SEDAI_DEBUG'] === '1';
	const english = `Unexpected error: ${text}${debug ? '' : ' (set SEDAI_DEBUG=1 for details and report it)'}`;
	return {code: 'internal', message: english, text: english};
}

export {SedaiError} from '../core/errors.js';
