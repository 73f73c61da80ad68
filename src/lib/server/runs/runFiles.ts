import fs from 'node:fs';
import path from 'node:path';
import { ADAPTER_WEIGHTS_FILE, MODEL_WEIGHTS_FILE } from '../../engine/checkpoint/peft';
import { TRAINER_STATE_FILE } from '../../engine/train/state';

export interface CheckpointInfo {
	step: number;
	path: string;
	createdAt: number;
	files: { name: string; bytes: number }[];
	/**
	 * Holds its trainer state and its weights, so a run can continue from it. The trainer writes
	 * trainer_state.json last; a directory without it is a save that was cut short.
	 */
	complete: boolean;
}

/**
 * A run's directory, laid out as ms-swift lays out its output: `args.json`, `logging.jsonl`, `run.log`
 * and `checkpoint-<step>/`. Appends are synchronous so a line is on disk before the event goes out.
 */
export class RunFiles {
	constructor(readonly dir: string) {}

	static forRun(dataDir: string, runId: string): RunFiles {
		return new RunFiles(path.join(dataDir, 'runs', runId));
	}

	create(args: unknown): void {
		fs.mkdirSync(this.dir, { recursive: true });
		fs.writeFileSync(path.join(this.dir, 'args.json'), JSON.stringify(args, null, 2));
	}

	appendLogRecord(record: unknown): void {
		fs.appendFileSync(path.join(this.dir, 'logging.jsonl'), JSON.stringify(record) + '\n');
	}

	appendLogLine(line: string): void {
		fs.appendFileSync(path.join(this.dir, 'run.log'), line.endsWith('\n') ? line : line + '\n');
	}

	checkpoints(): CheckpointInfo[] {
		if (!fs.existsSync(this.dir)) return [];
		return fs
			.readdirSync(this.dir)
			.map((name) => /^checkpoint-(\d+)$/.exec(name))
			.filter((match): match is RegExpExecArray => match !== null)
			.map((match) => describeCheckpoint(path.join(this.dir, match[0]), Number(match[1])))
			.filter((info): info is CheckpointInfo => info !== null)
			.sort((a, b) => a.step - b.step);
	}

	/**
	 * The newest checkpoint a run can continue from, read from the disk rather than from what was last
	 * reported: the trainer may have saved newer ones, and rotated older ones away, since then.
	 */
	latestComplete(): CheckpointInfo | null {
		return this.checkpoints().findLast((c) => c.complete) ?? null;
	}

	remove(): void {
		fs.rmSync(this.dir, { recursive: true, force: true });
	}
}

/** A model's weights: the built-in engine's and small HF models' one file, PEFT's adapter, or a sharded model's index (ms-swift). */
const WEIGHT_FILES = [MODEL_WEIGHTS_FILE, ADAPTER_WEIGHTS_FILE, `${MODEL_WEIGHTS_FILE}.index.json`];

/**
 * A running trainer deletes its oldest checkpoints (save_total_limit) while a page may be listing
 * them, so a directory that vanishes between readdir and stat is skipped rather than failing the listing.
 */
function describeCheckpoint(dir: string, step: number): CheckpointInfo | null {
	try {
		const files = fs.readdirSync(dir).map((name) => ({ name, bytes: fs.statSync(path.join(dir, name)).size }));
		const names = new Set(files.map((f) => f.name));
		const complete = names.has(TRAINER_STATE_FILE) && WEIGHT_FILES.some((name) => names.has(name));
		return { step, path: dir, createdAt: fs.statSync(dir).mtimeMs, files, complete };
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
		throw error;
	}
}
