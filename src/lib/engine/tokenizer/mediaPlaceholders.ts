import { mediaKindOf, type MediaKind } from './specialTokens';

export interface MediaPlaceholder {
	kind: MediaKind;
	/** Position of the placeholder token in the sequence, where the encoder's features get spliced. */
	tokenIndex: number;
	/** Which entry of the row's list of this kind (images, audios, videos) it stands for. */
	mediaIndex: number;
}

/** Every <image>/<audio>/<video> token in order; the n-th of a kind takes the n-th media entry. */
export function findMediaPlaceholders(ids: ArrayLike<number>): MediaPlaceholder[] {
	const seen: Record<MediaKind, number> = { image: 0, audio: 0, video: 0 };
	const placeholders: MediaPlaceholder[] = [];
	for (let i = 0; i < ids.length; i++) {
		const kind = mediaKindOf(ids[i]);
		if (kind) placeholders.push({ kind, tokenIndex: i, mediaIndex: seen[kind]++ });
	}
	return placeholders;
}
