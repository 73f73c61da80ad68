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
});
