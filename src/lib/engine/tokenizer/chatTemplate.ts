import { encode } from './byteTokenizer';
import type { ChatMessage, ChatRole, ChatRow } from './chatTypes';
import { findMediaPlaceholders, type MediaPlaceholder } from './mediaPlaceholders';
import {
	ASSISTANT_ID,
	BOS_ID,
	END_ID,
	IGNORE_INDEX,
	SYSTEM_ID,
	USER_ID,
	type MediaKind
} from './specialTokens';
import { truncateFromEnd } from './truncation';

/**
 * The built-in chat template:
 *
 *   <|bos|> <|system|> text <|end|> <|user|> text <|end|> <|assistant|> text <|end|> ...
 *
 * Assistant turns train on their text and their closing <|end|> (so the model learns when to stop);
 * the <|assistant|> marker itself is given, never predicted. Labels are aligned with input ids
 * (labels[i] is the target for token i, the HF convention); the loss or the collator shifts them.
 */

export class ChatTemplateError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ChatTemplateError';
	}
}

export interface RenderOptions {
	/** Longest sequence kept; longer ones are cut from the end (see truncation.ts). */
	maxLength?: number;
}

export interface RenderedChat {
	inputIds: number[];
	/** IGNORE_INDEX (-100) wherever the model is not trained. */
	labels: number[];
	/** Every media token kept, in order, with the entry of the row's media list it stands for. */
	mediaPlaceholders: MediaPlaceholder[];
	/** Whether maxLength cut the sequence. */
	truncated: boolean;
	/** Number of labels that are not IGNORE_INDEX; 0 means the row teaches nothing. */
	trainableTokens: number;
}

export interface RenderedPrompt {
	inputIds: number[];
	mediaPlaceholders: MediaPlaceholder[];
}

const ROLE_MARKERS: Record<ChatRole, number> = {
	system: SYSTEM_ID,
	user: USER_ID,
	assistant: ASSISTANT_ID
};

function assertMessage(message: ChatMessage, index: number): void {
	if (!(message.role in ROLE_MARKERS)) {
		throw new ChatTemplateError(`messages[${index}] has unknown role "${String(message.role)}"`);
	}
	if (typeof message.content !== 'string') {
		throw new ChatTemplateError(`messages[${index}] content must be a string`);
	}
	if (message.loss === true && message.role !== 'assistant') {
		throw new ChatTemplateError(
			`messages[${index}] is a ${message.role} turn with loss: true; only assistant turns can be trained`
		);
	}
	if (message.role === 'system' && index !== 0) {
		throw new ChatTemplateError(`messages[${index}] is a system turn; a system turn may only come first`);
	}
}

function isTrained(message: ChatMessage): boolean {
	return message.role === 'assistant' && message.loss !== false;
}

/** Appends one turn; returns nothing, writes into the two arrays side by side. */
function appendTurn(inputIds: number[], labels: number[], message: ChatMessage): void {
	inputIds.push(ROLE_MARKERS[message.role]);
	labels.push(IGNORE_INDEX);
	const trained = isTrained(message);
	for (const id of [...encode(message.content, { specials: 'media' }), END_ID]) {
		inputIds.push(id);
		labels.push(trained ? id : IGNORE_INDEX);
	}
}

function assertMediaCounts(row: ChatRow, placeholders: MediaPlaceholder[]): void {
	const lists: Record<MediaKind, string[] | undefined> = {
		image: row.images,
		audio: row.audios,
		video: row.videos
	};
	for (const kind of Object.keys(lists) as MediaKind[]) {
		const tags = placeholders.filter((p) => p.kind === kind).length;
		const entries = lists[kind]?.length ?? 0;
		if (tags !== entries) {
			throw new ChatTemplateError(
				`the text has ${tags} <${kind}> tag(s) but the row lists ${entries} ${kind}(s); ` +
					`the n-th tag takes the n-th entry, so the counts must match`
			);
		}
	}
}

/** Renders a training row into ids, labels and media positions. */
export function renderChat(row: ChatRow, options: RenderOptions = {}): RenderedChat {
	if (!Array.isArray(row.messages) || row.messages.length === 0) {
		throw new ChatTemplateError('a row needs at least one message');
	}
	row.messages.forEach(assertMessage);
	if (!row.messages.some(isTrained)) {
		throw new ChatTemplateError('the row has no assistant turn to train on');
	}
	const inputIds = [BOS_ID];
	const labels = [IGNORE_INDEX];
	for (const message of row.messages) appendTurn(inputIds, labels, message);
	assertMediaCounts(row, findMediaPlaceholders(inputIds));

	const kept = truncateFromEnd(inputIds, options.maxLength);
	const keptLabels = labels.slice(0, kept.length);
	return {
		inputIds: kept,
		labels: keptLabels,
		mediaPlaceholders: findMediaPlaceholders(kept),
		truncated: kept.length < inputIds.length,
		trainableTokens: keptLabels.filter((label) => label !== IGNORE_INDEX).length
	};
}

/**
 * Renders a conversation for generation: every message as a closed turn, then an open
 * <|assistant|> marker for the model to continue. Generation stops at <|end|> or <|eos|>.
 */
export function renderPrompt(messages: ChatMessage[]): RenderedPrompt {
	messages.forEach(assertMessage);
	const inputIds = [BOS_ID];
	const unusedLabels: number[] = [];
	for (const message of messages) appendTurn(inputIds, unusedLabels, message);
	inputIds.push(ASSISTANT_ID);
	return { inputIds, mediaPlaceholders: findMediaPlaceholders(inputIds) };
}
