import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { startTsWorker } from '../../workerThread';
import { lineAlignedStarts } from './rangeBoundaries';
import type { RangeAck, RangeBatch, RangeMessage, RangeTask } from './rangeProtocol';

/**
 * Reads a large JSONL file with several worker threads, one byte range each, and hands their batches
 * back strictly in file order with line numbers made absolute. Workers ahead of the reader pause after a
 * few batches, so memory stays bounded while all of them parse at once.
 */

const WORKER_MODULE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'jsonlRangeWorker.ts');

export interface OrderedBatch {
	batch: RangeBatch;
	/** Add to the batch's line numbers to get line numbers in the file. */
	lineOffset: number;
}

class RangeReader {
	private readonly queue: RangeMessage[] = [];
	private waiting: ((message: RangeMessage | Error) => void) | null = null;
	private failure: Error | null = null;

	constructor(readonly worker: Worker) {
		worker.on('message', (message: RangeMessage) => this.deliver(message));
		worker.on('error', (error: Error) => this.fail(error));
		worker.on('exit', (code) => {
			if (code !== 0) this.fail(new Error(`A dataset reader thread stopped with exit code ${code}`));
		});
	}

	next(): Promise<RangeMessage> {
		if (this.failure) return Promise.reject(this.failure);
		const queued = this.queue.shift();
		if (queued) return Promise.resolve(queued);
		return new Promise((resolve, reject) => {
			this.waiting = (message) => (message instanceof Error ? reject(message) : resolve(message));
		});
	}

	acknowledge(): void {
		this.worker.postMessage({ type: 'ack' } satisfies RangeAck);
	}

	private deliver(message: RangeMessage): void {
		const waiting = this.waiting;
		this.waiting = null;
		if (waiting) waiting(message);
		else this.queue.push(message);
	}

	private fail(error: Error): void {
		this.failure ??= error;
		const waiting = this.waiting;
		this.waiting = null;
		waiting?.(error);
	}
}

export async function* readJsonlInParallel(
	filePath: string,
	size: number,
	threads: number,
	limits: { maxRecordBytes: number; maxFieldChars: number }
): AsyncGenerator<OrderedBatch> {
	const starts = await lineAlignedStarts(filePath, size, threads);
	const readers = starts.map((start, i) => {
		const task: RangeTask = { path: filePath, start, end: starts[i + 1] ?? size, ...limits };
		return new RangeReader(startTsWorker(WORKER_MODULE, { workerData: task }));
	});
	try {
		let lineOffset = 0;
		for (const reader of readers) {
			let message = await reader.next();
			while (message.type === 'batch') {
				yield { batch: message, lineOffset };
				reader.acknowledge();
				message = await reader.next();
			}
			lineOffset += message.lines;
		}
	} finally {
		await Promise.all(readers.map((reader) => reader.worker.terminate()));
	}
}
