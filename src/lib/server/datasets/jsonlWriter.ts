import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

/**
 * Appends JSON lines to a file, honouring backpressure: `write` returns a promise only when the stream's
 * buffer is full, so a fast producer waits for the disk instead of filling memory.
 */
export class JsonlWriter {
	private readonly stream: WriteStream;
	private failure: Error | null = null;
	count = 0;

	constructor(readonly path: string) {
		this.stream = createWriteStream(path, { highWaterMark: 1 << 20 });
		this.stream.on('error', (error) => {
			this.failure = error;
		});
	}

	write(value: unknown): Promise<void> | undefined {
		if (this.failure) throw this.failure;
		this.count++;
		if (this.stream.write(`${JSON.stringify(value)}\n`)) return undefined;
		return this.waitForDrain();
	}

	private async waitForDrain(): Promise<void> {
		await once(this.stream, 'drain');
		if (this.failure) throw this.failure;
	}

	async close(): Promise<void> {
		if (this.stream.closed) return;
		const finished = once(this.stream, 'close');
		this.stream.end();
		await finished;
		if (this.failure) throw this.failure;
	}
}
