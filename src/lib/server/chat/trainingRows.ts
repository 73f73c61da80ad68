import type { ChatAttachment, ChatMessageRecord } from '../../shared/chat/chat';
import type { MediaKind, StandardRow } from '../../shared/dataset';
import { withMediaTags } from '../../shared/chat/mediaTags';

/**
 * Builds ms-swift rows from a conversation path, the way ms-swift's own deploy server lays out a
 * multimodal request: each attachment becomes a `<image>`/`<audio>`/`<video>` tag at the start of its
 * user turn, in attachment order, and the n-th tag of a kind is the n-th entry of that kind's list.
 */

export type MediaRef = (attachment: ChatAttachment) => string;


/** The answer a row trains on: the user's edit when there is one, otherwise the model's text. */
export function answerText(message: ChatMessageRecord): string {
	return message.editedContent ?? message.content;
}

function rowMessages(systemPrompt: string, path: readonly ChatMessageRecord[], ref: MediaRef) {
	const messages: StandardRow['messages'] = systemPrompt.trim() ? [{ role: 'system', content: systemPrompt }] : [];
	const media: Record<MediaKind, string[]> = { image: [], audio: [], video: [] };
	for (const message of path) {
		if (message.role === 'user') {
			for (const attachment of message.attachments) media[attachment.kind].push(ref(attachment));
			messages.push({ role: 'user', content: withMediaTags(message) });
		} else {
			messages.push({ role: 'assistant', content: answerText(message) });
		}
	}
	return { messages, media };
}

function withMedia(row: StandardRow, media: Record<MediaKind, string[]>): StandardRow {
	if (media.image.length) row.images = media.image;
	if (media.audio.length) row.audios = media.audio;
	if (media.video.length) row.videos = media.video;
	return row;
}

function requireAnswerAtEnd(path: readonly ChatMessageRecord[]): void {
	const last = path[path.length - 1];
	if (!last || last.role !== 'assistant') throw new Error('A training row ends with an answer: pick an assistant message.');
	if (!path.some((m) => m.role === 'user')) throw new Error('A training row needs a user turn before the answer.');
}

/** An SFT row: the path up to and including the answer (earlier answers as they stand on the path). */
export function sftRow(systemPrompt: string, path: readonly ChatMessageRecord[], ref: MediaRef): StandardRow {
	requireAnswerAtEnd(path);
	const { messages, media } = rowMessages(systemPrompt, path, ref);
	return withMedia({ messages }, media);
}

/**
 * A DPO row in ms-swift's layout: `messages` end with the chosen answer, `rejected_response` is the other.
 * `chosenPath` ends with the chosen answer; `rejected` is any text for the same prompt.
 */
export function dpoRow(systemPrompt: string, chosenPath: readonly ChatMessageRecord[], rejected: string, ref: MediaRef): StandardRow {
	requireAnswerAtEnd(chosenPath);
	const chosen = answerText(chosenPath[chosenPath.length - 1]);
	if (chosen === rejected) throw new Error('The chosen and rejected answers are the same text: a preference pair needs two different answers.');
	const { messages, media } = rowMessages(systemPrompt, chosenPath, ref);
	return withMedia({ messages, rejected_response: rejected }, media);
}
