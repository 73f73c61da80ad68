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

	it('resumes from the newest checkpoint that holds its trainer state and weights', () => {
		const files = runWithCheckpoints([5, 10, 15, 20]);
		const write = (step: number, name: string) => fs.writeFileSync(path.join(files.dir, `checkpoint-${step}`, name), '{}');
		write(5, 'trainer_state.json');
		// A LoRA checkpoint: adapter weights instead of the model's.
		fs.rmSync(path.join(files.dir, 'checkpoint-10', 'model.safetensors'));
		write(10, 'adapter_model.safetensors');
		write(10, 'trainer_state.json');
		// 15 has weights but no trainer state, 20 only the state: saves cut short.
		fs.rmSync(path.join(files.dir, 'checkpoint-20', 'model.safetensors'));
		write(20, 'trainer_state.json');
		expect(files.checkpoints().map((c) => [c.step, c.complete])).toEqual([[5, true], [10, true], [15, false], [20, false]]);
		expect(files.latestComplete()?.step).toBe(10);
		expect(new RunFiles(path.join(files.dir, 'missing')).latestComplete()).toBeNull();
	});
});
