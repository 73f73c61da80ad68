import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFfmpeg } from './ffmpeg';
import { VideoClipBatcher } from './clipBatcher';
import { allFramesOfClips, loadVideoFrames, loadVideoFramesOfClips, ONE_PASS_MAX_BYTES } from './video';

let dir: string;
let clip: string;
const FRAMES = 16;

/** Mean of the red plane, back in bytes. */
function meanRed(data: Float32Array, size: number): number {
	let sum = 0;
	for (let i = 0; i < size * size; i++) sum += data[i];
	return ((sum / (size * size)) * 0.5 + 0.5) * 255;
}

beforeAll(async () => {
	dir = await mkdtemp(path.join(os.tmpdir(), 'media-video-'));
	// Frame n is solid grey of level 10 + 15 n, so a sampled frame reveals its index.
	const raw = Buffer.alloc(FRAMES * 32 * 32 * 3);
	for (let n = 0; n < FRAMES; n++) raw.fill(10 + 15 * n, n * 32 * 32 * 3, (n + 1) * 32 * 32 * 3);
	const rawFile = path.join(dir, 'frames.rgb');
	await writeFile(rawFile, raw);
	clip = path.join(dir, 'ramp.mp4');
	await runFfmpeg(['-v', 'error', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', '32x32', '-r', '8', '-i', rawFile, '-c:v', 'libx264', '-crf', '10', '-pix_fmt', 'yuv420p', clip], { file: clip });
});
afterAll(async () => {
	await rm(dir, { recursive: true, force: true });
});

describe('loadVideoFrames', () => {
	it('samples K frames evenly, in order, each through the image path', async () => {
		const video = await loadVideoFrames(clip, { frames: 4, size: 16 });
		expect(video.sourceFrameCount).toBe(FRAMES);
		expect(video.indices).toEqual([2, 6, 10, 14]);
		expect(video.frames).toHaveLength(4);
		for (const [i, frame] of video.frames.entries()) {
			expect(frame).toMatchObject({ channels: 3, height: 16, width: 16 });
			expect(meanRed(frame.data, 16)).toBeCloseTo(10 + 15 * video.indices[i], -1);
		}
	});

	it('repeats frames when asked for more than the clip has', async () => {
		const video = await loadVideoFrames(clip, { frames: 20, size: 8 });
		expect(video.frames).toHaveLength(20);
		expect(video.indices[0]).toBe(0);
		expect(video.indices[1]).toBe(1);
		expect(video.indices[19]).toBe(15);
	});

	it('names the file when it is corrupt or has no video', async () => {
		const broken = path.join(dir, 'broken.mp4');
		await writeFile(broken, Buffer.alloc(2048, 7));
		await expect(loadVideoFrames(broken)).rejects.toThrow(broken);
		const audioOnly = path.join(dir, 'sound.wav');
		await runFfmpeg(['-v', 'error', '-f', 'lavfi', '-i', 'sine=duration=0.2', audioOnly], { file: audioOnly });
		await expect(loadVideoFrames(audioOnly)).rejects.toThrow(`${audioOnly}: no video stream found`);
		await expect(loadVideoFrames(path.join(dir, 'missing.mp4'))).rejects.toThrow(/missing\.mp4: cannot read file/);
	});

	it('reads a clip too large for one run in two (count, then the sampled frames) to the same tensors', async () => {
		const options = { frames: 5, size: 24, policy: 'letterbox' as const };
		const onePass = await loadVideoFrames(clip, options);
		const twoPass = await loadVideoFrames(clip, { ...options, onePassMaxBytes: 32 * 32 * 3 * 2 });
		expect(twoPass.sourceFrameCount).toBe(FRAMES);
		expect(twoPass.indices).toEqual(onePass.indices);
		twoPass.frames.forEach((frame, i) => expect(Array.from(frame.data)).toEqual(Array.from(onePass.frames[i].data)));
	});
});

describe('loadVideoFramesOfClips', () => {
	const options = { frames: 4, size: 16, policy: 'letterbox' as const };
	const same = (a: Awaited<ReturnType<typeof loadVideoFrames>>, b: Awaited<ReturnType<typeof loadVideoFrames>>) => {
		expect(a.indices).toEqual(b.indices);
		expect(a.sourceFrameCount).toBe(b.sourceFrameCount);
		a.frames.forEach((frame, i) => expect(Array.from(frame.data)).toEqual(Array.from(b.frames[i].data)));
	};

	it('decodes several clips in one run to what each gives alone, and names a bad one among them', async () => {
		const short = path.join(dir, 'short.mp4');
		await runFfmpeg(['-v', 'error', '-i', clip, '-frames:v', '5', short], { file: short });
		const alone = await Promise.all([clip, short].map((file) => loadVideoFrames(file, options)));
		// One run reads all three (16, 5 and 16 frames); one bad clip fails the run, and each is read alone.
		expect((await allFramesOfClips([clip, short, clip], ONE_PASS_MAX_BYTES))?.map((frames) => frames.length)).toEqual([FRAMES, 5, FRAMES]);
		const together = await loadVideoFramesOfClips([clip, short, clip], options);
		expect(together.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
		[alone[0], alone[1], alone[0]].forEach((expected, i) => same((together[i] as PromiseFulfilledResult<typeof expected>).value, expected));

		const broken = path.join(dir, 'broken-among.mp4');
		await writeFile(broken, Buffer.alloc(2048, 7));
		expect(await allFramesOfClips([clip, broken], ONE_PASS_MAX_BYTES)).toBeNull();
		const mixed = await loadVideoFramesOfClips([clip, broken, short], options);
		expect(mixed.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
		expect(String((mixed[1] as PromiseRejectedResult).reason)).toContain(broken);
		same((mixed[2] as PromiseFulfilledResult<typeof alone[1]>).value, alone[1]);
	});

	it('gathers the files asked for in one turn (VideoClipBatcher), each answer its own', async () => {
		const batcher = new VideoClipBatcher();
		const missing = path.join(dir, 'not-there.mp4');
		const [a, b, c] = await Promise.allSettled([batcher.load(clip, options), batcher.load(missing, options), batcher.load(clip, { ...options, frames: 2 })]);
		same((a as PromiseFulfilledResult<Awaited<ReturnType<typeof loadVideoFrames>>>).value, await loadVideoFrames(clip, options));
		expect(String((b as PromiseRejectedResult).reason)).toMatch(/not-there\.mp4: cannot read file/);
		expect((c as PromiseFulfilledResult<Awaited<ReturnType<typeof loadVideoFrames>>>).value.frames).toHaveLength(2);
	});
});
