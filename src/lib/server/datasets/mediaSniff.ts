import type { MediaKind } from '../../shared/dataset';

/**
 * Recognises media by their first bytes (magic numbers), never by the file name, so a renamed or
 * mislabelled file is caught before training trips over it.
 */

export interface SniffedMedia {
	/** The extension stored files get. */
	ext: string;
	/** Human name for messages, e.g. "PNG image". */
	label: string;
	/** WEBM (and MP4 family) containers can carry audio or video. */
	kinds: readonly MediaKind[];
}

/** How many leading bytes sniffMedia needs. */
export const SNIFF_BYTES = 32;

export const ACCEPTED_BY_KIND: Record<MediaKind, string> = {
	image: 'PNG, JPEG, GIF, WEBP or BMP',
	audio: 'WAV, MP3, OGG, FLAC, M4A or WEBM',
	video: 'MP4, WEBM, AVI or MOV'
};

function ascii(bytes: Uint8Array, start: number, length: number): string {
	if (bytes.length < start + length) return '';
	return String.fromCharCode(...bytes.subarray(start, start + length));
}

function startsWith(bytes: Uint8Array, signature: readonly number[]): boolean {
	if (bytes.length < signature.length) return false;
	for (let i = 0; i < signature.length; i++) if (bytes[i] !== signature[i]) return false;
	return true;
}

const IMAGE = ['image'] as const;
const AUDIO = ['audio'] as const;
const VIDEO = ['video'] as const;
const AUDIO_OR_VIDEO = ['audio', 'video'] as const;

function sniffRiff(bytes: Uint8Array): SniffedMedia | null {
	switch (ascii(bytes, 8, 4)) {
		case 'WEBP':
			return { ext: 'webp', label: 'WEBP image', kinds: IMAGE };
		case 'WAVE':
			return { ext: 'wav', label: 'WAV audio file', kinds: AUDIO };
		case 'AVI ':
			return { ext: 'avi', label: 'AVI video', kinds: VIDEO };
		default:
			return null;
	}
}

/** ISO base media (MP4, M4A, MOV): the `ftyp` box's brand tells audio-only files from video. */
function sniffIsoMedia(bytes: Uint8Array): SniffedMedia | null {
	const box = ascii(bytes, 4, 4);
	if (box === 'ftyp') {
		const brand = ascii(bytes, 8, 4);
		if (brand === 'M4A ' || brand === 'M4B ') return { ext: 'm4a', label: 'M4A audio file', kinds: AUDIO };
		if (brand === 'qt  ') return { ext: 'mov', label: 'MOV video', kinds: VIDEO };
		return { ext: 'mp4', label: 'MP4 video', kinds: VIDEO };
	}
	// Old QuickTime files open with a movie or data box instead of `ftyp`.
	if (box === 'moov' || box === 'mdat' || box === 'wide' || box === 'free') return { ext: 'mov', label: 'MOV video', kinds: VIDEO };
	return null;
}

export function sniffMedia(bytes: Uint8Array): SniffedMedia | null {
	if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { ext: 'png', label: 'PNG image', kinds: IMAGE };
	if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { ext: 'jpg', label: 'JPEG image', kinds: IMAGE };
	const head = ascii(bytes, 0, 4);
	if (head === 'GIF8') return { ext: 'gif', label: 'GIF image', kinds: IMAGE };
	if (head === 'RIFF') return sniffRiff(bytes);
	if (head === 'OggS') return { ext: 'ogg', label: 'OGG audio file', kinds: AUDIO };
	if (head === 'fLaC') return { ext: 'flac', label: 'FLAC audio file', kinds: AUDIO };
	if (startsWith(bytes, [0x1a, 0x45, 0xdf, 0xa3])) return { ext: 'webm', label: 'WEBM file', kinds: AUDIO_OR_VIDEO };
	if (ascii(bytes, 0, 3) === 'ID3') return { ext: 'mp3', label: 'MP3 audio file', kinds: AUDIO };
	// An MPEG audio frame starts with 11 set sync bits.
	if (bytes.length >= 2 && bytes[0] === 0xff && (bytes[1] & 0xe0) === 0xe0) return { ext: 'mp3', label: 'MP3 audio file', kinds: AUDIO };
	if (ascii(bytes, 0, 2) === 'BM') return { ext: 'bmp', label: 'BMP image', kinds: IMAGE };
	return sniffIsoMedia(bytes);
}
