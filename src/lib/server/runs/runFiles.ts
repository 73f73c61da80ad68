import fs from 'node:fs';
import path from 'node:path';

export interface CheckpointInfo {
	step: number;
	path: string;
	createdAt: number;
	files: { name: string; bytes: number }[];
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

	remove(): void {
		fs.rmSync(this.dir, { recursive: true, force: true });
	}
}

/**
 * A running trainer deletes its oldest checkpoints (save_total_limit) while a page may be listing
 * them, so a directory that vanishes between readdir and stat is skipped rather than failing the listing.
 */
function describeCheckpoint(dir: string, step: number): CheckpointInfo | null {
	try {
		const files = fs.readdirSync(dir).map((name) => ({ name, bytes: fs.statSync(path.join(dir, name)).size }));
		return { step, path: dir, createdAt: fs.statSync(dir).mtimeMs, files };
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
		throw error;
	}
}
