import { ACCEPTED_BY_KIND, sniffMedia } from '../../datasets/mediaSniff';
import type { MediaKind } from './backend';
import { OpenAIError } from './openaiError';

/**
 * Turns one client-given media value into bytes or an upload id, and nothing else: data URLs, raw
 * base64 and `swiftboard-upload:<id>` are the only forms taken. A URL (http, https, file, any scheme)
 * or a file path is refused before anything is fetched or read: ms-swift's deploy reads local paths
 * and fetches URLs for its clients, which lets any caller read the server's files or reach hosts
 * behind its firewall.
 */

export const uploadScheme = 'swiftboard-upload:';

export type MediaValue =
	| { kind: MediaKind; param: string; bytes: Buffer; ext: string }
	| { kind: MediaKind; param: string; uploadId: string };

const base64Body = /^[A-Za-z0-9+/]*={0,2}$/;
const dataUrl = /^data:([^;,]*)((?:;[^;,]*)*),/i;

function decodedLength(base64: string): number {
	const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
	return Math.floor((base64.length * 3) / 4) - padding;
}

function tooLarge(param: string, bytes: number, limit: number): OpenAIError {
	const mib = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;
	return new OpenAIError(413, `${param} is ${mib(bytes)} decoded; the limit for one media item is ${mib(limit)} (SWIFTBOARD_API_MEDIA_MB).`, param, 'media_too_large');
}

/** Decodes base64 after checking its size, so an oversized item is refused without being decoded. */
function decodeBase64(raw: string, param: string, maxBytes: number): Buffer | null {
	const base64 = raw.replace(/\s+/g, '');
	if (base64.length === 0 || base64.length % 4 !== 0 || !base64Body.test(base64)) return null;
	const size = decodedLength(base64);
	if (size > maxBytes) throw tooLarge(param, size, maxBytes);
	return Buffer.from(base64, 'base64');
}

function checkKind(bytes: Buffer, kind: MediaKind, param: string): string {
	const sniffed = sniffMedia(bytes);
	if (!sniffed || !sniffed.kinds.includes(kind)) {
		const what = sniffed ? `a ${sniffed.label}` : 'not a media file SwiftBoard recognises';
		throw OpenAIError.invalid(`${param} is ${what}; a ${kind} must be ${ACCEPTED_BY_KIND[kind]}.`, param);
	}
	return sniffed.ext;
}

function refusal(value: string, param: string): OpenAIError {
	const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value)?.[1]?.toLowerCase();
	const what = scheme && scheme.length > 1 ? `a ${scheme}: URL` : /[/\\]|^\.|^~/.test(value) ? 'a file path' : 'neither a data URL nor base64 media';
	return OpenAIError.invalid(
		`${param} is ${what}. SwiftBoard never fetches URLs or reads server paths: send the media inline as a data URL ` +
			`(data:<mime>;base64,...) or base64, or upload it to POST /api/uploads and send "${uploadScheme}<id>".`,
		param
	);
}

export function readMediaValue(value: string, kind: MediaKind, param: string, maxBytes: number): MediaValue {
	const trimmed = value.trim();
	if (trimmed.startsWith(uploadScheme)) {
		const uploadId = trimmed.slice(uploadScheme.length);
		if (!/^[A-Za-z0-9_-]{1,64}$/.test(uploadId)) throw OpenAIError.invalid(`${param} names no upload: "${uploadId}" is not an upload id.`, param);
		return { kind, param, uploadId };
	}
	const header = dataUrl.exec(trimmed);
	if (header) {
		const mime = header[1].toLowerCase();
		if (!/;base64$/i.test(header[2])) throw OpenAIError.invalid(`${param} is a data URL without ";base64"; only base64 data URLs are taken.`, param);
		if (mime && mime !== 'application/octet-stream' && !mime.startsWith(`${kind}/`)) {
			throw OpenAIError.invalid(`${param} is a data URL of type ${mime}; this part takes a ${kind}.`, param);
		}
		const bytes = decodeBase64(trimmed.slice(header[0].length), param, maxBytes);
		if (!bytes) throw OpenAIError.invalid(`${param} is a data URL whose data is not valid base64.`, param);
		return { kind, param, bytes, ext: checkKind(bytes, kind, param) };
	}
	// Raw base64 (ms-swift takes it in its lists) is recognised by decoding to a known media file; a
	// JPEG's base64 starts with "/9j/", so a leading slash alone cannot mean a path.
	const bytes = decodeBase64(trimmed, param, maxBytes);
	const sniffed = bytes && sniffMedia(bytes);
	if (!bytes || !sniffed) throw refusal(trimmed, param);
	return { kind, param, bytes, ext: checkKind(bytes, kind, param) };
}

/** OpenAI's `input_audio`: base64 without a prefix, with its format named. */
export function readInputAudio(data: string, format: 'wav' | 'mp3', param: string, maxBytes: number): MediaValue {
	const bytes = decodeBase64(data, `${param}.data`, maxBytes);
	if (!bytes) throw OpenAIError.invalid(`${param}.data is not valid base64 (send the ${format} bytes base64-encoded, without a data: prefix).`, `${param}.data`);
	const ext = checkKind(bytes, 'audio', `${param}.data`);
	return { kind: 'audio', param: `${param}.data`, bytes, ext: ext === 'mp3' || ext === 'wav' ? ext : format };
}
