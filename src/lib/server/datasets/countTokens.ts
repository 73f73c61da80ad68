import type { StandardRow } from '../../shared/dataset';
import { countMediaTags } from './mediaTags';

/**
 * The token count used for statistics and the max_length check. For now it mirrors the built-in byte-level
 * tokenizer: one token per UTF-8 byte of text, one per special marker (each media tag, each message's
 * role and end markers, and the sequence's begin and end). Everything that needs a length goes through
 * here, so a real tokenizer can take its place without touching the callers.
 */

const MEDIA_TAG_BYTES = { image: '<image>'.length, audio: '<audio>'.length, video: '<video>'.length };
const MARKERS_PER_MESSAGE = 2;
const MARKERS_PER_SEQUENCE = 2;

export function countTokens(row: StandardRow): number {
	let tokens = MARKERS_PER_SEQUENCE;
	for (const message of row.messages) {
		const text = message.content;
		tokens += MARKERS_PER_MESSAGE + Buffer.byteLength(text, 'utf8');
		const tags = countMediaTags(text);
		tokens -= tags.image * (MEDIA_TAG_BYTES.image - 1) + tags.audio * (MEDIA_TAG_BYTES.audio - 1) + tags.video * (MEDIA_TAG_BYTES.video - 1);
	}
	return tokens;
}
