import fs from 'node:fs';
import { Readable } from 'node:stream';
import { HttpError } from './httpError';

const contentTypes: Record<string, string> = {
	png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp', bmp: 'image/bmp',
	wav: 'audio/wav', mp3: 'audio/mpeg', ogg: 'audio/ogg', flac: 'audio/flac', m4a: 'audio/mp4',
	mp4: 'video/mp4', webm: 'video/webm', avi: 'video/x-msvideo', mov: 'video/quicktime'
};

/** A stored media file, with byte ranges so audio and video players can seek. */
export function mediaFileResponse(file: string, rangeHeader: string | null): Response {
	const size = fs.statSync(file).size;
	const type = contentTypes[file.split('.').pop() ?? ''] ?? 'application/octet-stream';
	const headers: Record<string, string> = { 'content-type': type, 'accept-ranges': 'bytes', 'cache-control': 'private, max-age=31536000, immutable' };
	const range = /^bytes=(\d*)-(\d*)$/.exec(rangeHeader ?? '');
	if (!range) {
		return new Response(Readable.toWeb(fs.createReadStream(file)) as ReadableStream, { headers: { ...headers, 'content-length': String(size) } });
	}
	const start = range[1] ? Number(range[1]) : Math.max(0, size - Number(range[2]));
	const end = range[1] && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
	if (start > end || start >= size) {
		throw new HttpError('range_not_satisfiable', `Range ${range[0]} is outside the file (${size} bytes).`, undefined, { 'content-range': `bytes */${size}` });
	}
	return new Response(Readable.toWeb(fs.createReadStream(file, { start, end })) as ReadableStream, {
		status: 206,
		headers: { ...headers, 'content-length': String(end - start + 1), 'content-range': `bytes ${start}-${end}/${size}` }
	});
}
