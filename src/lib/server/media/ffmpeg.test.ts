import { access, constants } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ffmpegPath, runFfmpeg } from './ffmpeg';

describe('packaged ffmpeg', () => {
	it('resolves to an executable binary inside node_modules', async () => {
		const binary = await ffmpegPath();
		expect(binary).toMatch(/node_modules[\\/]@ffmpeg-installer[\\/]/);
		await expect(access(binary, constants.X_OK)).resolves.toBeUndefined();
	});

	it('reports a failed run with the file name and the last log line', async () => {
		await expect(runFfmpeg(['-v', 'error', '-i', '/nonexistent/clip.webm', '-f', 'null', '-'], { file: 'clip.webm' })).rejects.toThrow(
			/^clip\.webm: ffmpeg could not decode it: .*No such file or directory/
		);
	});

	it('stops a run whose output passes maxOutputBytes and says so, keeping what came', async () => {
		const args = ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=64x64:rate=25:duration=20', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'];
		const cut = await runFfmpeg(args, { file: 'test pattern', maxOutputBytes: 100_000 });
		expect(cut.overflowed).toBe(true);
		expect(cut.stdout.length).toBeGreaterThan(100_000);
		expect(cut.stdout.length).toBeLessThan(64 * 64 * 3 * 25 * 20);
		const whole = await runFfmpeg([...args.slice(0, 5), 'testsrc=size=8x8:rate=5:duration=1', ...args.slice(6)], { file: 'test pattern', maxOutputBytes: 100_000 });
		expect(whole).toMatchObject({ overflowed: false });
		expect(whole.stdout.length).toBe(8 * 8 * 3 * 5);
	});

	it('writes each output of a run to a pipe of its own', async () => {
		const pattern = (size: number) => ['-f', 'lavfi', '-i', `testsrc=size=${size}x${size}:rate=5:duration=1`];
		const out = (i: number) => ['-map', `${i}:v:0`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', `pipe:${3 + i}`];
		const run = await runFfmpeg(['-v', 'error', ...pattern(8), ...pattern(4), ...out(0), ...out(1)], { file: 'test patterns', pipes: 2 });
		expect(run.pipes.map((p) => p.length)).toEqual([8 * 8 * 3 * 5, 4 * 4 * 3 * 5]);
		expect(run.stdout.length).toBe(0);
	});
});
