/**
 * The vocabulary of the built-in byte-level tokenizer.
 *
 * Ids 0..255 are the raw UTF-8 bytes, so every language (Chinese, emoji, code) is representable with no
 * downloaded vocabulary. Special tokens follow directly after the bytes. The order is part of every
 * checkpoint's embedding matrix, so new tokens may only ever be appended.
 */

export const BYTE_TOKEN_COUNT = 256;

export const SPECIAL_TOKENS = [
	'<|pad|>',
	'<|bos|>',
	'<|eos|>',
	'<|system|>',
	'<|user|>',
	'<|assistant|>',
	'<|end|>',
	'<image>',
	'<audio>',
	'<video>'
] as const;

export type SpecialToken = (typeof SPECIAL_TOKENS)[number];

function specialId(token: SpecialToken): number {
	return BYTE_TOKEN_COUNT + SPECIAL_TOKENS.indexOf(token);
}

export const PAD_ID = specialId('<|pad|>');
export const BOS_ID = specialId('<|bos|>');
export const EOS_ID = specialId('<|eos|>');
export const SYSTEM_ID = specialId('<|system|>');
export const USER_ID = specialId('<|user|>');
export const ASSISTANT_ID = specialId('<|assistant|>');
export const END_ID = specialId('<|end|>');
export const IMAGE_ID = specialId('<image>');
export const AUDIO_ID = specialId('<audio>');
export const VIDEO_ID = specialId('<video>');

export const VOCAB_SIZE = BYTE_TOKEN_COUNT + SPECIAL_TOKENS.length;

/** Label value that the loss skips, matching PyTorch's CrossEntropyLoss default and ms-swift. */
export const IGNORE_INDEX = -100;

export type MediaKind = 'image' | 'audio' | 'video';

export const MEDIA_TOKEN_IDS: Readonly<Record<MediaKind, number>> = {
	image: IMAGE_ID,
	audio: AUDIO_ID,
	video: VIDEO_ID
};

export const ROLE_MARKER_IDS = new Set([SYSTEM_ID, USER_ID, ASSISTANT_ID]);

export function isSpecialId(id: number): boolean {
	return id >= BYTE_TOKEN_COUNT && id < VOCAB_SIZE;
}

export function isByteId(id: number): boolean {
	return Number.isInteger(id) && id >= 0 && id < BYTE_TOKEN_COUNT;
}

export function specialTokenText(id: number): SpecialToken {
	if (!isSpecialId(id)) throw new RangeError(`token id ${id} is not a special token`);
	return SPECIAL_TOKENS[id - BYTE_TOKEN_COUNT];
}

export function mediaKindOf(id: number): MediaKind | undefined {
	if (id === IMAGE_ID) return 'image';
	if (id === AUDIO_ID) return 'audio';
	if (id === VIDEO_ID) return 'video';
	return undefined;
}
