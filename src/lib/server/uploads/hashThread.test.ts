import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { hashingStream, startUploadHash } from './hashThread';

describe('startUploadHash', () => {
	it('hashes views into larger buffers, several uploads at once, like createHash', async () => {
		const pool = Buffer.alloc(1 << 20, 3);
		pool.write('header', 0);
		const a = startUploadHash();
		const b = startUploadHash();
		const expectedA = createHash('sha256');
		const expectedB = createHash('sha256');
		for (let i = 0; i < 40; i++) {
			const chunk = pool.subarray(i * 1000, i * 1000 + 777);
			void a.update(chunk);
			expectedA.update(chunk);
			void b.update(pool.subarray(5, 9));
			expectedB.update(pool.subarray(5, 9));
		}
		const dropped = startUploadHash();
		void dropped.update(pool.subarray(0, 10));
		dropped.abort();
		expect(await Promise.all([a.digest(), b.digest()])).toEqual([expectedA.digest('hex'), expectedB.digest('hex')]);
		expect(await startUploadHash().digest()).toBe(createHash('sha256').digest('hex'));
	});

	it('holds a stream back while the thread has too much to hash, and hashes it all', async () => {
		const data = Buffer.alloc(24 * 1024 * 1024, 9);
		const hash = startUploadHash();
		const chunks: Buffer[] = [];
		for (let at = 0; at < data.length; at += 64 * 1024) chunks.push(data.subarray(at, at + 64 * 1024));
		let passed = 0;
		await pipeline(Readable.from(chunks), hashingStream(hash), new Writable({ write: (chunk: Buffer, _e, done) => ((passed += chunk.length), done()) }));
		expect(passed).toBe(data.length);
		expect(await hash.digest()).toBe(createHash('sha256').update(data).digest('hex'));
	});
});
