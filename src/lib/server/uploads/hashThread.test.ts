import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { startUploadHash } from './hashThread';

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
			a.update(chunk);
			expectedA.update(chunk);
			b.update(pool.subarray(5, 9));
			expectedB.update(pool.subarray(5, 9));
		}
		const dropped = startUploadHash();
		dropped.update(pool.subarray(0, 10));
		dropped.abort();
		expect(await Promise.all([a.digest(), b.digest()])).toEqual([expectedA.digest('hex'), expectedB.digest('hex')]);
		expect(await startUploadHash().digest()).toBe(createHash('sha256').digest('hex'));
	});
});
