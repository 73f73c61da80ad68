import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

/** Lines are gathered into blocks of about this many characters before they go to the stream. */
const BLOCK_CHARS = 1 << 18;

/**
 * Appends JSON lines to a file. Lines are joined into large blocks (one stream write per block, not per
 * row, which keeps the stream's bookkeeping and the garbage collector out of the hot loop), and `write`
 * returns a promise only when the stream's buffer is full, so a fast producer waits for the disk instead
 * of filling memory.
 */
export class JsonlWriter {
	private readonly stream: WriteStream;
	private failure: Error | null = null;
	private block = '';
	count = 0;

	constructor(readonly path: string) {
		this.stream = createWriteStream(path, { highWaterMark: 2 * BLOCK_CHARS });
		this.stream.on('error', (error) => {
			this.failure = error;
		});
	}

	write(value: unknown): Promise<void> | undefined {
		if (this.failure) throw this.failure;
		this.count++;
		this.block += `${JSON.stringify(value)}\n`;
		if (this.block.length < BLOCK_CHARS) return undefined;
		return this.flush();
	}

	/** Appends a line that is already JSON (one line, no trailing newline). */
	writeJsonText(json: string): Promise<void> | undefined {
		if (this.failure) throw this.failure;
		this.count++;
		this.block += `${json}\n`;
		if (this.block.length < BLOCK_CHARS) return undefined;
		return this.flush();
	}

	private flush(): Promise<void> | undefined {
		const block = this.block;
		this.block = '';
		if (block === '' || this.stream.write(block)) return undefined;
		return this.waitForDrain();
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
