import fs from 'node:fs';
import path from 'node:path';

/** Files HF's Trainer writes last into a checkpoint folder: until it is there, the save is still going on. */
const TRAINER_STATE = 'trainer_state.json';

/**
 * Follows what `swift sft` writes into its output folder: new lines of `logging.jsonl` and new
 * `checkpoint-N` folders, read by polling (inotify misses writes on network disks, where runs often live).
 * What was there before the process started (an earlier attempt's lines and checkpoints) is not reported again.
 */
export class SwiftOutputWatcher {
	private offset: number;
	private pending = '';
	private readonly known = new Set<string>();
	private readonly logFile: string;

	constructor(private readonly dir: string) {
		this.logFile = path.join(dir, 'logging.jsonl');
		this.offset = fs.existsSync(this.logFile) ? fs.statSync(this.logFile).size : 0;
		for (const checkpoint of this.checkpointNames()) this.known.add(checkpoint);
	}

	/** Complete JSON lines appended since the last call (a half-written last line waits for the next). */
	newRecords(): Record<string, unknown>[] {
		let size: number;
		try {
			size = fs.statSync(this.logFile).size;
		} catch {
			return [];
		}
		if (size < this.offset) this.offset = 0; // rewritten from scratch
		if (size === this.offset) return [];
		const fd = fs.openSync(this.logFile, 'r');
		try {
			const buffer = Buffer.alloc(size - this.offset);
			fs.readSync(fd, buffer, 0, buffer.length, this.offset);
			this.offset = size;
			const lines = (this.pending + buffer.toString('utf8')).split('\n');
			this.pending = lines.pop() ?? '';
			const records: Record<string, unknown>[] = [];
			for (const line of lines) {
				try {
					const value: unknown = JSON.parse(line);
					if (value && typeof value === 'object' && !Array.isArray(value)) records.push(value as Record<string, unknown>);
				} catch {
					// Not a logging line: skipped, the console copy of it still reaches the log.
				}
			}
			return records;
		} finally {
			fs.closeSync(fd);
		}
	}

	/** Checkpoints whose save finished since the last call, oldest first. */
	newCheckpoints(): { step: number; path: string }[] {
		const found: { step: number; path: string }[] = [];
		for (const name of this.checkpointNames()) {
			if (this.known.has(name)) continue;
			const dir = path.join(this.dir, name);
			if (!fs.existsSync(path.join(dir, TRAINER_STATE))) continue;
			this.known.add(name);
			found.push({ step: Number(name.slice('checkpoint-'.length)), path: dir });
		}
		return found.sort((a, b) => a.step - b.step);
	}

	private checkpointNames(): string[] {
		try {
			return fs.readdirSync(this.dir).filter((name) => /^checkpoint-\d+$/.test(name));
		} catch {
			return [];
		}
	}
}
