import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runFfmpeg } from '../media/ffmpeg';
import type { Canvas } from './canvas';

/**
 * Encodes RGB frames to H.264 MP4 with the packaged ffmpeg. One encoder thread and the bitexact
 * flags (no version strings, no timestamps in metadata) make the bytes repeat for the same frames.
 */
export async function encodeMp4(frames: Canvas[], fps: number, outFile: string): Promise<void> {
	const { width, height } = frames[0];
	const dir = await mkdtemp(path.join(os.tmpdir(), 'swiftboard-demo-video-'));
	try {
		const raw = path.join(dir, 'frames.rgb');
		await writeFile(raw, Buffer.concat(frames.map((f) => f.rgb)));
		await runFfmpeg(
			[
				...['-v', 'error', '-y', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${width}x${height}`, '-r', String(fps), '-i', raw],
				// yuv420p is what every player decodes; it needs even frame sides.
				...['-c:v', 'libx264', '-preset', 'medium', '-crf', '18', '-pix_fmt', 'yuv420p', '-threads', '1'],
				...['-fflags', '+bitexact', '-flags:v', '+bitexact', '-map_metadata', '-1', outFile]
			],
			{ file: outFile }
		);
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
}
