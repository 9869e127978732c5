import {isSedaiError, type SedaiError} from '../../core/errors.js';
import {message, type Message} from '../../core/message.js';
import {renderMessage, type Language} from './render.js';

/**
 * A SedaiError's sentence in a front end's language: its message code when it carries one,
 * else a known English sentence recognised by its text (the engine's job-cancelled sentence is
 * thrown where no code is attached), else the English as it is.
 */
const recognised: Message[] = [message('error.cancelled')];

export function errorRef(error: SedaiError): Message | undefined {
	return error.ref ?? recognised.find(known => renderMessage(known, 'en') === error.message);
}

export function errorText(error: unknown, language: Language): string {
	if (!isSedaiError(error)) {
		return error instanceof Error ? error.message : String(error);
	}

	const ref = errorRef(error);
	return ref ? renderMessage(ref, language) : error.message;
}
