import { Worker } from 'node:worker_threads';

/**
 * SHA-256 of uploads, computed on one worker thread so that hashing several large uploads at once
 * does not hold up the event loop (health checks, sockets, other requests). Each chunk is copied into
 * its own buffer and transferred: a chunk is usually a view into a larger socket buffer, which a plain
 * post would clone whole. Messages on one port arrive in order, so the digest covers every chunk.
 */

// Plain JavaScript, evaluated as the worker's entry: it needs nothing but node:crypto.
const workerSource = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const hashes = new Map();
parentPort.on('message', ({ id, chunk, end, drop }) => {
	let hash = hashes.get(id);
	if (!hash && !drop) hashes.set(id, (hash = createHash('sha256')));
	if (chunk) hash.update(chunk);
	if (end) parentPort.postMessage({ id, digest: hash.digest('hex') });
	if (end || drop) hashes.delete(id);
});
`;

export interface UploadHash {
	update(chunk: Buffer): void;
	digest(): Promise<string>;
	/** Forgets the hash (the upload failed). */
	abort(): void;
}

let worker: Worker | null = null;
let nextId = 0;
const waiting = new Map<number, { resolve(digest: string): void; reject(error: Error): void }>();

function hashWorker(): Worker {
	if (worker) return worker;
	const started = new Worker(workerSource, { eval: true });
	started.on('message', ({ id, digest }: { id: number; digest: string }) => {
		waiting.get(id)?.resolve(digest);
		waiting.delete(id);
	});
	const fail = (error: Error) => {
		for (const waiter of waiting.values()) waiter.reject(error);
		waiting.clear();
		if (worker === started) worker = null;
	};
	started.on('error', fail);
	started.on('exit', (code) => fail(new Error(`The hashing thread stopped (exit code ${code}).`)));
	// Idle, it must not keep the process alive.
	started.unref();
	worker = started;
	return started;
}

export function startUploadHash(): UploadHash {
	const thread = hashWorker();
	const id = nextId++;
	return {
		update(chunk) {
			const copy = new Uint8Array(chunk);
			thread.postMessage({ id, chunk: copy }, [copy.buffer]);
		},
		digest() {
			return new Promise((resolve, reject) => {
				waiting.set(id, { resolve, reject });
				thread.ref();
				thread.postMessage({ id, end: true });
			}).finally(() => {
				if (waiting.size === 0) thread.unref();
			}) as Promise<string>;
		},
		abort() {
			thread.postMessage({ id, drop: true });
		}
	};
}
