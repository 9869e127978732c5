import {isMessageCode, renderMessage, type Language} from './render.js';

/**
 * A job's phase line. English keeps the engine's own sentence (it names counts and paths); other
 * languages say the phase from its id (open, scan, read, …) and keep that sentence after it as
 * the detail. An event without a known phase id keeps its sentence.
 */
export function phaseText(event: {phase?: string; message: string}, language: Language): string {
	const code = `phase.${event.phase ?? ''}`;
	if (language === 'en' || !isMessageCode(code)) {
		return event.message;
	}

	const phase = renderMessage({code}, language);
	return event.message ? `${phase} (${event.message})` : phase;
}
