import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MediaError } from '../../engine/media/mediaError';

/** A media file on disk, or bytes already in memory (a chat attachment) with the name to report. */
export type MediaSource = string | { bytes: Uint8Array; name: string };

export function sourceName(source: MediaSource): string {
	return typeof source === 'string' ? source : source.name;
}

export async function readSource(source: MediaSource): Promise<Uint8Array> {
	if (typeof source !== 'string') return source.bytes;
	try {
		return await readFile(source);
	} catch (error) {
		throw new MediaError(source, 'corrupt', `cannot read file (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
	}
}

/**
 * Runs `use` with a path ffmpeg can open. In-memory bytes go to a temporary file rather than a pipe
 * because MP4/M4A often keep their index at the end, which ffmpeg cannot reach on a pipe.
 */
export async function withSourcePath<T>(source: MediaSource, use: (file: string) => Promise<T>): Promise<T> {
	if (typeof source === 'string') return use(source);
	const dir = await mkdtemp(path.join(os.tmpdir(), 'swiftboard-media-'));
	try {
		const file = path.join(dir, `input${path.extname(source.name)}`);
		await writeFile(file, source.bytes);
		return await use(file);
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
}
