import { open } from 'node:fs/promises';
import type { ByteCounter } from '../sourceRecord';
import { ChunkPool } from './chunkPool';
import type { ChunkLimits, ChunkResult } from './plainChunk';

/**
 * Reads a JSONL file in newline-aligned chunks that worker threads classify in parallel, and yields the
 * results in file order with the line number each starts at. A line longer than the record limit that
 * spans reads is not held: it comes out as `dropped`, as splitLines reports it.
 *
 * The file is read straight into buffers that go to the workers and come back; the caller hands each one
 * back with `release` once done with the result, so a large file reuses a few buffers instead of making
 * the garbage collector chase a new megabyte per read.
 */

export type JsonlPiece = { kind: 'chunk'; firstLine: number; result: ChunkResult } | { kind: 'dropped'; line: number; byteLength: number };

type Queued = { kind: 'chunk'; result: Promise<ChunkResult> } | { kind: 'dropped'; byteLength: number };

export class JsonlChunks {
	private readonly free: ArrayBuffer[] = [];

	constructor(
		private readonly path: string,
		private readonly limits: ChunkLimits,
		private readonly workers: number,
		private readonly readBytes: number,
		private readonly onBytes?: ByteCounter
	) {}

	/** Returns a chunk's bytes (from a result the caller is done with) for the next reads. */
	release(chunk: Uint8Array): void {
		if (chunk.byteOffset === 0 && chunk.buffer.byteLength === 2 * this.readBytes && this.free.length < this.workers * 3) this.free.push(chunk.buffer as ArrayBuffer);
	}

	private buffer(size: number): Buffer {
		const reused = size === 2 * this.readBytes ? this.free.pop() : undefined;
		return Buffer.from(reused ?? new ArrayBuffer(size));
	}

	/**
	 * Room for the carried part of a line plus the next read. It grows with a long line four times at a
	 * step, so the line is copied a few times rather than once per read, and stops at the record limit
	 * plus a read: a longer line is dropped anyway. Holding a line near the limit thus costs about one
	 * limit of memory, not the two or three that doubling up to twice its length would.
	 */
	private readSize(carried: number): number {
		if (carried <= this.readBytes) return 2 * this.readBytes;
		const cap = this.limits.maxRecordBytes + 2 * this.readBytes;
		return 8 * carried >= cap ? cap : 4 * carried;
	}

	async *pieces(): AsyncGenerator<JsonlPiece> {
		// A chunk of an eighth of a read holds a few lines (a file's start before a huge line, its tail).
		const pool = new ChunkPool(this.workers, this.limits, Math.floor(this.readBytes / 8));
		const file = await open(this.path);
		const queue: Queued[] = [];
		let nextLine = 1;
		let fileStart = true;
		let carry: Buffer = Buffer.alloc(0);
		let spare: Buffer | null = null;
		let dropping = false;
		let droppedBytes = 0;

		const submit = (bytes: Buffer, length: number) => {
			const result = pool.classify(bytes, length, fileStart);
			// Awaited in order later; this only keeps a failure of a chunk not yet reached from counting as unhandled.
			result.catch(() => undefined);
			queue.push({ kind: 'chunk', result });
			fileStart = false;
		};
		async function* settle(keep: number): AsyncGenerator<JsonlPiece> {
			while (queue.length > keep) {
				const head = queue.shift()!;
				if (head.kind === 'dropped') {
					yield { kind: 'dropped', line: nextLine++, byteLength: head.byteLength };
				} else {
					const result = await head.result;
					yield { kind: 'chunk', firstLine: nextLine, result };
					nextLine += result.lines;
				}
			}
		}

		try {
			for (;;) {
				const size = this.readSize(carry.length);
				// A buffer that went to no worker (it held only part of a long line) is read into again.
				const bytes: Buffer = spare && spare.length >= size ? spare : this.buffer(size);
				spare = null;
				// May overlap when `carry` is a view into the same buffer: copy moves it like memmove.
				carry.copy(bytes);
				const { bytesRead } = await file.read(bytes, carry.length, bytes.length - carry.length, null);
				if (bytesRead === 0) {
					if (dropping) queue.push({ kind: 'dropped', byteLength: droppedBytes });
					else if (carry.length > 0) submit(bytes, carry.length);
					break;
				}
				this.onBytes?.(bytesRead);
				let filled = carry.length + bytesRead;
				let from = 0;
				if (dropping) {
					const newline = bytes.subarray(0, filled).indexOf(0x0a);
					if (newline === -1) {
						droppedBytes += filled;
						carry = Buffer.alloc(0);
						spare = bytes;
						continue;
					}
					queue.push({ kind: 'dropped', byteLength: droppedBytes + newline });
					fileStart = false;
					dropping = false;
					droppedBytes = 0;
					from = newline + 1;
				}
				const last = bytes.lastIndexOf(0x0a, filled - 1);
				if (last < from) {
					// No line ends here: the buffer only carries the line on, so it is kept for the next read.
					carry = bytes.subarray(from, filled);
					spare = bytes;
					if (carry.length > this.limits.maxRecordBytes) {
						// Too long to keep: only its length is still needed, for the report.
						dropping = true;
						droppedBytes = carry.length;
						carry = Buffer.alloc(0);
					}
					continue;
				}
				carry = Buffer.from(bytes.subarray(last + 1, filled));
				if (from > 0) {
					bytes.copy(bytes, 0, from, last + 1);
					filled = last + 1 - from;
				} else {
					filled = last + 1;
				}
				submit(bytes, filled);
				// A few chunks in flight per worker keep them busy without holding much of the file.
				yield* settle(this.workers * 2);
			}
			yield* settle(0);
		} finally {
			await file.close();
			await pool.close();
		}
	}
}
