/** The standard ms-swift dataset row, as the engine sees it after the datasets service normalised it. */

export type ChatRole = 'system' | 'user' | 'assistant';

export interface ChatMessage {
	role: ChatRole;
	content: string;
	/**
	 * Per-message loss switch, as in ms-swift. Only assistant turns are ever trained: `false` skips an
	 * assistant turn (e.g. a bad earlier answer kept as context); `true` is the default for assistant
	 * turns and is rejected on system/user turns, since this template never trains prompts.
	 */
	loss?: boolean | null;
}

export interface ChatRow {
	messages: ChatMessage[];
	/** The n-th <image> tag in the text takes the n-th entry (path, URL or base64). */
	images?: string[];
	audios?: string[];
	videos?: string[];
}
