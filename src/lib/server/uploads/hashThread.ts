import { Transform } from 'node:stream';
import { Worker } from 'node:worker_threads';

/**
 * SHA-256 of uploads, computed on one worker thread so that hashing several large uploads at once does
 * not hold up the event loop (health checks, sockets, other requests).
 *
 * Bytes reach the thread through one shared ring buffer: the main thread copies a piece of a chunk in
 * and posts where it lies; the thread hashes it and says so, which frees the space. Posting the chunks
 * themselves would leave every copy to the thread's garbage collector (a 200 MB upload grew the process
 * by some 100 MB that way); the ring keeps it at RING_BYTES however fast bytes arrive. When the ring is
 * full the upload waits, so a thread that falls behind slows uploads down instead of queueing their bytes.
 */

const RING_BYTES = 8 * 1024 * 1024;
const MAX_PIECE_BYTES = 256 * 1024;

// Plain JavaScript, evaluated as the worker's entry: it needs nothing but node:crypto.
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const ring = new Uint8Array(workerData.ring);
const hashes = new Map();
parentPort.on('message', ({ id, start, length, end, drop }) => {
	let hash = hashes.get(id);
	if (!hash && !drop) hashes.set(id, (hash = createHash('sha256')));
	if (length !== undefined) {
		hash.update(ring.subarray(start, start + length));
		parentPort.postMessage({ freed: length });
	}
	if (end) parentPort.postMessage({ id, digest: hash.digest('hex') });
	if (end || drop) hashes.delete(id);
});
`;

export interface UploadHash {
	/** Hands a chunk to the thread; resolves at once, or once there was room for all of it. */
	update(chunk: Buffer): Promise<void> | null;
	digest(): Promise<string>;
	/** Forgets the hash (the upload failed). */
	abort(): void;
}

/** Space in the ring, in the order it was handed out; the thread frees it in the same order. */
class Ring {
	readonly bytes = new Uint8Array(new SharedArrayBuffer(RING_BYTES));
	private readonly used: { start: number; length: number }[] = [];

	/** Where `length` contiguous bytes fit now, or -1. */
	take(length: number): number {
		const oldest = this.used[0];
		const newest = this.used.at(-1);
		const tail = newest ? newest.start + newest.length : 0;
		let start: number;
		if (!oldest) start = 0;
		// Not wrapped (used space is [oldest, tail)): after the tail, else from the start up to short of the oldest.
		else if (tail > oldest.start) start = tail + length <= RING_BYTES ? tail : length < oldest.start ? 0 : -1;
		// Wrapped: only the gap between the tail and the oldest, never closing it (a closed gap would read as empty).
		else start = tail + length < oldest.start ? tail : -1;
		if (start >= 0) this.used.push({ start, length });
		return start;
	}

	free(length: number): void {
		const oldest = this.used.shift();
		if (oldest && oldest.length !== length) throw new Error('The hashing thread freed ring space out of order.');
	}

	clear(): void {
		this.used.length = 0;
	}
}

let worker: Worker | null = null;
let ring: Ring | null = null;
let nextId = 0;
const digests = new Map<number, { resolve(digest: string): void; reject(error: Error): void }>();
/** Uploads waiting for ring space, in arrival order. */
let waitingForRoom: (() => void)[] = [];

function wakeWaiting(): void {
	const waiting = waitingForRoom;
	waitingForRoom = [];
	for (const retry of waiting) retry();
}

function hashWorker(): { thread: Worker; ring: Ring } {
	if (worker && ring) return { thread: worker, ring };
	const shared = new Ring();
	const started = new Worker(workerSource, { eval: true, workerData: { ring: shared.bytes.buffer } });
	started.on('message', ({ id, digest, freed }: { id?: number; digest?: string; freed?: number }) => {
		if (freed !== undefined) {
			shared.free(freed);
			wakeWaiting();
		} else if (id !== undefined) {
			digests.get(id)?.resolve(digest as string);
			digests.delete(id);
		}
	});
	const fail = (error: Error) => {
		for (const waiter of digests.values()) waiter.reject(error);
		digests.clear();
		if (worker === started) worker = ring = null;
		shared.clear();
		wakeWaiting();
	};
	started.on('error', fail);
	started.on('exit', (code) => fail(new Error(`The hashing thread stopped (exit code ${code}).`)));
	// Idle, it must not keep the process alive.
	started.unref();
	worker = started;
	ring = shared;
	return { thread: started, ring: shared };
}

export function startUploadHash(): UploadHash {
	const id = nextId++;
	/** Copies as much of `chunk` as fits; returns the bytes left over. */
	const send = (chunk: Uint8Array): Uint8Array => {
		const { thread, ring: space } = hashWorker();
		let rest = chunk;
		while (rest.length > 0) {
			const piece = rest.subarray(0, MAX_PIECE_BYTES);
			const start = space.take(piece.length);
			if (start < 0) break;
			space.bytes.set(piece, start);
			thread.postMessage({ id, start, length: piece.length });
			rest = rest.subarray(piece.length);
		}
		return rest;
	};
	return {
		update(chunk) {
			let rest = send(chunk);
			if (rest.length === 0) return null;
			return new Promise<void>((resolve) => {
				const retry = () => {
					rest = send(rest);
					if (rest.length === 0) resolve();
					else waitingForRoom.push(retry);
				};
				waitingForRoom.push(retry);
			});
		},
		digest() {
			const { thread } = hashWorker();
			thread.ref();
			return new Promise<string>((resolve, reject) => {
				digests.set(id, { resolve, reject });
				thread.postMessage({ id, end: true });
			}).finally(() => {
				if (digests.size === 0) thread.unref();
			});
		},
		abort() {
			worker?.postMessage({ id, drop: true });
		}
	};
}

/** A pass-through stream that hashes what flows through it, holding the flow while the ring is full. */
export function hashingStream(hash: UploadHash): Transform {
	return new Transform({
		transform(chunk: Buffer, _encoding, callback) {
			const wait = hash.update(chunk);
			if (wait) void wait.then(() => callback(null, chunk));
			else callback(null, chunk);
		}
	});
}
