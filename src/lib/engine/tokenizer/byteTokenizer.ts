import {
	BYTE_TOKEN_COUNT,
	MEDIA_TOKEN_IDS,
	SPECIAL_TOKENS,
	VOCAB_SIZE,
	isSpecialId,
	specialTokenText,
	type SpecialToken
} from './specialTokens';

/**
 * Which literal tags in the text become special ids.
 * - 'all': every special token (for trusted text such as a rendered template).
 * - 'media': only <image>, <audio>, <video>. Message content uses this, so a user who types
 *   "<|assistant|>" cannot forge a turn boundary; the tag stays plain bytes.
 * - 'none': the text is taken byte for byte.
 */
export type SpecialTokenMode = 'all' | 'media' | 'none';

export interface EncodeOptions {
	specials?: SpecialTokenMode;
}

export interface DecodeOptions {
	/** Leave special tokens out of the text instead of writing their literal tags. */
	skipSpecialTokens?: boolean;
}

const utf8Encoder = new TextEncoder();

const MEDIA_TAGS = Object.keys(MEDIA_TOKEN_IDS).map((kind) => `<${kind}>`);

const tagPatterns: Record<Exclude<SpecialTokenMode, 'none'>, RegExp> = {
	all: tagAlternation(SPECIAL_TOKENS),
	media: tagAlternation(MEDIA_TAGS)
};

function tagAlternation(tags: readonly string[]): RegExp {
	const escaped = tags.map((tag) => tag.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
	return new RegExp(escaped.join('|'), 'g');
}

const idOfTag = new Map<string, number>(SPECIAL_TOKENS.map((tag, i) => [tag, BYTE_TOKEN_COUNT + i]));

function pushBytes(ids: number[], text: string): void {
	if (text.length === 0) return;
	for (const byte of utf8Encoder.encode(text)) ids.push(byte);
}

/** Text to token ids: UTF-8 bytes, with recognised tags as single special ids. */
export function encode(text: string, options: EncodeOptions = {}): number[] {
	const mode = options.specials ?? 'all';
	const ids: number[] = [];
	if (mode === 'none') {
		pushBytes(ids, text);
		return ids;
	}
	const pattern = tagPatterns[mode];
	pattern.lastIndex = 0;
	let cursor = 0;
	for (const match of text.matchAll(pattern)) {
		pushBytes(ids, text.slice(cursor, match.index));
		ids.push(idOfTag.get(match[0]) as number);
		cursor = match.index + match[0].length;
	}
	pushBytes(ids, text.slice(cursor));
	return ids;
}

export function specialTokenId(token: SpecialToken): number {
	return idOfTag.get(token) as number;
}

export function assertValidTokenId(id: number): void {
	if (!Number.isInteger(id) || id < 0 || id >= VOCAB_SIZE) {
		throw new RangeError(`token id ${id} is outside the vocabulary (0..${VOCAB_SIZE - 1})`);
	}
}

/**
 * Token ids to text. Invalid or incomplete UTF-8 becomes U+FFFD rather than throwing, because a
 * model can emit any byte sequence.
 */
export function decode(ids: ArrayLike<number>, options: DecodeOptions = {}): string {
	const decoder = new TextDecoder('utf-8');
	let text = '';
	let bytes: number[] = [];
	const flushBytes = () => {
		if (bytes.length > 0) text += decoder.decode(Uint8Array.from(bytes));
		bytes = [];
	};
	for (let i = 0; i < ids.length; i++) {
		const id = ids[i];
		assertValidTokenId(id);
		if (isSpecialId(id)) {
			flushBytes();
			if (!options.skipSpecialTokens) text += specialTokenText(id);
		} else {
			bytes.push(id);
		}
	}
	flushBytes();
	return text;
}
