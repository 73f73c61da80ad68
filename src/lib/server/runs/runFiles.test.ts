import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RunFiles } from './runFiles';

afterEach(() => vi.restoreAllMocks());

function runWithCheckpoints(steps: number[]): RunFiles {
	const files = new RunFiles(fs.mkdtempSync(path.join(os.tmpdir(), 'run-files-')));
	for (const step of steps) {
		fs.mkdirSync(path.join(files.dir, `checkpoint-${step}`), { recursive: true });
		fs.writeFileSync(path.join(files.dir, `checkpoint-${step}`, 'model.safetensors'), 'x'.repeat(step));
	}
	return files;
}

describe('RunFiles.checkpoints', () => {
	it('lists checkpoints by step with their files', () => {
		const files = runWithCheckpoints([10, 5]);
		fs.writeFileSync(path.join(files.dir, 'logging.jsonl'), '');
		const listed = files.checkpoints();
		expect(listed.map((c) => c.step)).toEqual([5, 10]);
		expect(listed[1].files).toEqual([{ name: 'model.safetensors', bytes: 10 }]);
	});

	it('skips a checkpoint the trainer deletes while the listing runs', () => {
		const files = runWithCheckpoints([5, 10]);
		const readdir = fs.readdirSync;
		vi.spyOn(fs, 'readdirSync').mockImplementation(((dir: fs.PathLike, options?: unknown) => {
			const names = readdir(dir, options as undefined);
			// Rotation removes the oldest checkpoint right after the run directory was read.
			if (dir === files.dir) fs.rmSync(path.join(files.dir, 'checkpoint-5'), { recursive: true });
			return names;
		}) as typeof fs.readdirSync);
		expect(files.checkpoints().map((c) => c.step)).toEqual([10]);
	});
});
