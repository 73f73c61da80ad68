import fs from 'node:fs/promises';
import type { EndpointMediaStyle } from '../../../shared/endpoints';
import type { ChatTurn, MediaInput, MediaKindName, Sampling } from '../../../shared/inference';
import { SNIFF_BYTES, sniffMedia } from '../../datasets/mediaSniff';
import { HttpError } from '../../http/httpError';

/** A content part in one of the shapes OpenAI-compatible servers take. */
export type ContentPart =
	| { type: 'text'; text: string }
	| { type: 'image_url'; image_url: { url: string } }
	| { type: 'input_audio'; input_audio: { data: string; format: 'wav' | 'mp3' } }
	| { type: 'audio_url'; audio_url: { url: string } }
	| { type: 'video_url'; video_url: { url: string } };

export interface ChatRequestBody {
	model: string;
	messages: { role: ChatTurn['role']; content: string | ContentPart[] }[];
	max_tokens: number;
	temperature: number;
	top_p: number;
	top_k?: number;
	repetition_penalty?: number;
	ignore_eos?: boolean;
	stop?: string[];
	seed?: number;
}

const MIME: Record<string, string> = {
	png: 'image/png',
	jpg: 'image/jpeg',
	gif: 'image/gif',
	webp: 'image/webp',
	bmp: 'image/bmp',
	wav: 'audio/wav',
	mp3: 'audio/mpeg',
	ogg: 'audio/ogg',
	flac: 'audio/flac',
	m4a: 'audio/mp4',
	webm: 'video/webm',
	mp4: 'video/mp4',
	avi: 'video/x-msvideo',
	mov: 'video/quicktime'
};

const TAG = /<(image|audio|video)>/g;
const HAS_TAG = /<(image|audio|video)>/;

/**
 * One media item as the endpoint's style carries it. The file is one the server resolved (an upload of
 * the user's, a dataset's media); its bytes go inline, so the endpoint never needs a URL or a path.
 */
export async function mediaPart(media: MediaInput, style: EndpointMediaStyle, endpointName: string): Promise<ContentPart> {
	const bytes = await fs.readFile(media.file);
	const sniffed = sniffMedia(bytes.subarray(0, SNIFF_BYTES));
	if (!sniffed || !sniffed.kinds.includes(media.kind)) throw new HttpError('invalid_request', `An attachment is not a readable ${media.kind} file.`);
	const mime = media.kind === 'audio' && sniffed.ext === 'webm' ? 'audio/webm' : MIME[sniffed.ext];
	const base64 = bytes.toString('base64');
	const dataUrl = `data:${mime};base64,${base64}`;
	if (media.kind === 'image') return { type: 'image_url', image_url: { url: dataUrl } };
	if (style === 'vllm') return media.kind === 'audio' ? { type: 'audio_url', audio_url: { url: dataUrl } } : { type: 'video_url', video_url: { url: dataUrl } };
	if (media.kind === 'video') throw new HttpError('invalid_request', `Endpoint "${endpointName}" uses OpenAI-style media, which carry no video; set its media style to vLLM / ms-swift if the server reads video.`);
	if (sniffed.ext !== 'wav' && sniffed.ext !== 'mp3') throw new HttpError('invalid_request', `Endpoint "${endpointName}" uses OpenAI-style media, whose input_audio takes WAV or MP3 only; this attachment is ${sniffed.label}.`);
	return { type: 'input_audio', input_audio: { data: base64, format: sniffed.ext } };
}

/**
 * The conversation as content parts: each `<image>`/`<audio>`/`<video>` tag in a turn takes the next
 * media item of its kind (the built-in engine's rule); items no tag claims go ahead of the last user
 * turn's text, where ms-swift puts them. Turns without media stay plain strings.
 */
export async function chatMessages(turns: readonly ChatTurn[], media: readonly MediaInput[], style: EndpointMediaStyle, endpointName: string): Promise<ChatRequestBody['messages']> {
	const parts = await Promise.all(media.map((m) => mediaPart(m, style, endpointName)));
	const next: Record<MediaKindName, number> = { image: 0, audio: 0, video: 0 };
	const byKind = (kind: MediaKindName) => media.map((m, i) => ({ m, i })).filter((x) => x.m.kind === kind);
	const used = new Set<number>();
	const messages: ChatRequestBody['messages'] = turns.map((turn) => {
		if (turn.role !== 'user' || !HAS_TAG.test(turn.content)) return { role: turn.role, content: turn.content };
		const content: ContentPart[] = [];
		let at = 0;
		for (const match of turn.content.matchAll(TAG)) {
			const kind = match[1] as MediaKindName;
			const item = byKind(kind)[next[kind]++];
			const before = turn.content.slice(at, match.index);
			if (before) content.push({ type: 'text', text: before });
			if (item) {
				content.push(parts[item.i]);
				used.add(item.i);
			} else content.push({ type: 'text', text: match[0] });
			at = match.index + match[0].length;
		}
		const rest = turn.content.slice(at);
		if (rest) content.push({ type: 'text', text: rest });
		return { role: turn.role, content };
	});
	const leftover = parts.filter((_, i) => !used.has(i));
	if (leftover.length) {
		const last = messages.findLastIndex((m) => m.role === 'user');
		if (last < 0) throw new HttpError('invalid_request', 'Media need a user turn to go with.');
		const content = messages[last].content;
		messages[last] = { role: 'user', content: [...leftover, ...(typeof content === 'string' ? (content ? [{ type: 'text' as const, text: content }] : []) : content)] };
	}
	return messages;
}

/**
 * The request body: the sampling as OpenAI names it, plus vLLM's and ms-swift's `top_k`,
 * `repetition_penalty` and `ignore_eos` where the server takes them (OpenAI's own API refuses unknown fields).
 */
export function chatRequestBody(model: string, messages: ChatRequestBody['messages'], sampling: Sampling, style: EndpointMediaStyle): ChatRequestBody {
	const body: ChatRequestBody = { model, messages, max_tokens: sampling.max_new_tokens, temperature: sampling.temperature, top_p: sampling.top_p };
	if (style === 'vllm') {
		if (sampling.top_k > 0) body.top_k = sampling.top_k;
		body.repetition_penalty = sampling.repetition_penalty;
		if (sampling.ignore_eos) body.ignore_eos = true;
	}
	if (sampling.stop.length) body.stop = sampling.stop;
	if (sampling.seed !== undefined) body.seed = sampling.seed;
	return body;
}
