import type {Phase} from '../../core/jobs/events.js';
import {renderMessage, type Language} from './render.js';

/**
 * A job's phase line. English keeps the engine's own sentence (it names counts and paths); other
 * languages say the phase from its id and keep that sentence after it as the detail.
 */
export function phaseText(event: {phase: Phase; message: string}, language: Language): string {
	if (language === 'en') {
		return event.message;
	}

	const phase = renderMessage({code: `phase.${event.phase}`}, language);
	return event.message ? `${phase} (${event.message})` : phase;
}
