import type { MediaKind } from '../../../shared/dataset';

/**
 * OpenAI-style content parts (`[{type: 'text', text}, {type: 'image_url', image_url: {url}}]`) flattened into
 * ms-swift's form: text with `<image>`/`<audio>`/`<video>` tags, and the media in order beside it.
 */

export interface FlattenedContent {
	text: string;
	media: { kind: MediaKind; ref: string }[];
	/** Parts that could not be understood, by index. */
	unknownParts: number[];
}

function urlOf(value: unknown): string | null {
	if (typeof value === 'string') return value;
	if (typeof value === 'object' && value !== null) {
		const url = (value as { url?: unknown }).url;
		if (typeof url === 'string') return url;
	}
	return null;
}

function inputAudioRef(value: unknown): string | null {
	if (typeof value !== 'object' || value === null) return null;
	const { data, format } = value as { data?: unknown; format?: unknown };
	if (typeof data !== 'string') return null;
	const subtype = typeof format === 'string' && /^[a-z0-9]+$/i.test(format) ? format : 'wav';
	return `data:audio/${subtype};base64,${data}`;
}

function mediaOfPart(part: Record<string, unknown>): { kind: MediaKind; ref: string | null } | null {
	switch (part.type) {
		case 'image_url':
			return { kind: 'image', ref: urlOf(part.image_url) };
		case 'image':
			return { kind: 'image', ref: urlOf(part.image) };
		case 'audio_url':
			return { kind: 'audio', ref: urlOf(part.audio_url) };
		case 'audio':
			return { kind: 'audio', ref: urlOf(part.audio) };
		case 'input_audio':
			return { kind: 'audio', ref: inputAudioRef(part.input_audio) };
		case 'video_url':
			return { kind: 'video', ref: urlOf(part.video_url) };
		case 'video':
			return { kind: 'video', ref: urlOf(part.video) };
		default:
			return null;
	}
}

export function flattenContentParts(parts: unknown[]): FlattenedContent {
	let text = '';
	const media: FlattenedContent['media'] = [];
	const unknownParts: number[] = [];
	parts.forEach((raw, index) => {
		if (typeof raw === 'string') {
			text += raw;
			return;
		}
		if (typeof raw !== 'object' || raw === null) {
			unknownParts.push(index);
			return;
		}
		const part = raw as Record<string, unknown>;
		if (part.type === 'text' && typeof part.text === 'string') {
			text += part.text;
			return;
		}
		const found = mediaOfPart(part);
		if (found === null || found.ref === null) {
			unknownParts.push(index);
			return;
		}
		text += `<${found.kind}>`;
		media.push({ kind: found.kind, ref: found.ref });
	});
	return { text, media, unknownParts };
}
