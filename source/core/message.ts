/**
 * What the engine has to say, as a code and its parameters: each front end renders it in its
 * own language from its catalog (source/text/messages). A parameter may itself be a message, or
 * a list of them (joined the way the language joins lists), so a sentence can quote a state or
 * an age without the engine choosing the words.
 */
export type MessageParam = string | number | Message | Message[];

export type Message = {
	/** Namespaced, e.g. 'compliance.generations.evidence'. */
	code: string;
	params?: Record<string, MessageParam>;
};

export function message(code: string, params?: Record<string, MessageParam>): Message {
	return params ? {code, params} : {code};
}

/** Names (media, generation ids), the first `limit` of them and how many more. */
export function nameList(items: string[], limit = 4): Message {
	return items.length > limit
		? message('list.more', {items: items.slice(0, limit).join(', '), more: items.length - limit})
		: message('list.all', {items: items.join(', ')});
}

/** Sentences said one after the other (an English space, no space in Japanese). */
export function sentences(items: Message[]): Message {
	return message('list.sentences', {items});
}
