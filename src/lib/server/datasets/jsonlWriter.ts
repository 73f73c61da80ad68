import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

/** Lines are gathered into blocks of this many bytes before they go to the stream. */
const BLOCK_BYTES = 1 << 18;
const NEWLINE = 0x0a;
const SPARE_BLOCKS = 4;

/**
 * Appends JSON lines to a file. Lines are encoded straight into a fixed-size block that goes to the
 * stream when full (one stream write per block, not per row, which keeps the stream's bookkeeping and the
 * garbage collector out of the hot loop), and `write` returns a promise only when the stream's buffer is
 * full, so a fast producer waits for the disk instead of filling memory.
 */
export class JsonlWriter {
	private readonly stream: WriteStream;
	private failure: Error | null = null;
	private block: Buffer = Buffer.allocUnsafeSlow(BLOCK_BYTES);
	private used = 0;
	/** Blocks the stream has finished writing, to fill again rather than leave to the garbage collector. */
	private readonly spare: Buffer[] = [];
	count = 0;

	/** `append` keeps what the file holds and counts on from `count` (the rows already there). */
	constructor(
		readonly path: string,
		append?: { count: number }
	) {
		this.stream = createWriteStream(path, { highWaterMark: 2 * BLOCK_BYTES, flags: append ? 'a' : 'w' });
		if (append) this.count = append.count;
		this.stream.on('error', (error) => {
			this.failure = error;
		});
	}

	write(value: unknown): Promise<void> | undefined {
		const json = JSON.stringify(value);
		// Three bytes per UTF-16 unit is the most UTF-8 can need; measure exactly only when that may not fit.
		const room = this.block.length - this.used - 1;
		if (json.length * 3 <= room || Buffer.byteLength(json) <= room) {
			this.used += this.block.write(json, this.used);
			return this.endLine();
		}
		return this.writeJsonBytes(Buffer.from(json));
	}

	/** Appends a line that is already JSON (one line, without its newline). */
	writeJsonBytes(json: Buffer): Promise<void> | undefined {
		if (json.length + 1 > this.block.length - this.used) {
			const waiting = this.flush();
			if (json.length + 1 > this.block.length) {
				// Longer than a block: it goes out on its own, right after what came before it.
				this.count++;
				const written = this.stream.write(Buffer.concat([json, Buffer.of(NEWLINE)]));
				return waiting ?? (written ? undefined : this.waitForDrain());
			}
			if (waiting) return waiting.then(() => this.writeJsonBytes(json));
		}
		json.copy(this.block, this.used);
		this.used += json.length;
		return this.endLine();
	}

	/** Appends `count` lines that are already JSON, each ending in its newline, from `bytes[start, end)`. */
	writeLines(bytes: Buffer, start: number, end: number, count: number): Promise<void> | undefined {
		if (this.failure) throw this.failure;
		this.count += count;
		let waiting: Promise<void> | undefined;
		while (start < end) {
			const n = Math.min(end - start, this.block.length - this.used);
			bytes.copy(this.block, this.used, start, start + n);
			this.used += n;
			start += n;
			// Lines may straddle blocks: blocks only batch stream writes, the file is the same.
			if (this.used === this.block.length) waiting = this.flush() ?? waiting;
		}
		return waiting;
	}

	private endLine(): Promise<void> | undefined {
		if (this.failure) throw this.failure;
		this.block[this.used++] = NEWLINE;
		this.count++;
		return this.used >= this.block.length - 64 ? this.flush() : undefined;
	}

	private flush(): Promise<void> | undefined {
		if (this.used === 0) return undefined;
		const written = this.block;
		const full = written.subarray(0, this.used);
		// The stream keeps the written buffer until it reaches the disk, so the next lines go to another.
		this.block = this.spare.pop() ?? Buffer.allocUnsafeSlow(BLOCK_BYTES);
		this.used = 0;
		const ok = this.stream.write(full, (error) => {
			if (!error && this.spare.length < SPARE_BLOCKS) this.spare.push(written);
		});
		return ok ? undefined : this.waitForDrain();
	}

	private async waitForDrain(): Promise<void> {
		await once(this.stream, 'drain');
		if (this.failure) throw this.failure;
	}

	async close(): Promise<void> {
		if (this.stream.closed) return;
		await this.flush();
		const finished = once(this.stream, 'close');
		this.stream.end();
		await finished;
		if (this.failure) throw this.failure;
	}
}
