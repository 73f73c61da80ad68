// The job protocol of the kernel pool, driven step by step on one thread so an interleaving that
// threads hit only rarely (a helper paused between waking for a job and claiming from it) is replayed
// exactly: the main thread's publishing (describeJob, openJob) and a thread's claims (claimChunks).

import { describe, expect, it } from 'vitest';
import { claimChunks, describeJob, openJob } from './helper';
import { CONTROL_INTS, FINISHED, MAX_ARGS, MAX_CHUNKS } from './protocol';

function block() {
	return {
		control: new Int32Array(new SharedArrayBuffer(CONTROL_INTS * 4)),
		chunkArgs: new Float64Array(new SharedArrayBuffer(MAX_CHUNKS * MAX_ARGS * 8)),
		own: new Float64Array(MAX_ARGS)
	};
}

/** A stand-in kernel that records the (job, chunk) of every call. */
function recorder() {
	const calls: string[] = [];
	const fn = (job: number, chunk: number) => void calls.push(`${job}:${chunk}`);
	return { calls, fn: fn as (...a: number[]) => unknown };
}

const chunksOf = (job: number, n: number) => Array.from({ length: n }, (_, i) => [job, i, 0, 0]);

describe('kernel job protocol', () => {
	it('runs every chunk of a job once and counts each finished', () => {
		const { control, chunkArgs, own } = block();
		const { calls, fn } = recorder();
		describeJob(control, chunkArgs, 0, chunksOf(1, 3), -1);
		openJob(control, 1);
		claimChunks(fn, 1, control, chunkArgs, own, 0);
		expect(calls).toEqual(['1:0', '1:1', '1:2']);
		expect(Atomics.load(control, FINISHED)).toBe(3);
	});

	it('a helper late for a finished job claims nothing of the next one while it is being described', () => {
		const { control, chunkArgs, own } = block();
		const main = recorder();
		const late = recorder();
		// Job 1 (one chunk) runs to the end on the main thread; a helper woke for it but was paused.
		describeJob(control, chunkArgs, 0, chunksOf(1, 1), -1);
		openJob(control, 1);
		claimChunks(main.fn, 1, control, chunkArgs, own, 0);
		// The main thread describes job 2, with more chunks, and the paused helper resumes for job 1
		// before job 2 opens: it must find nothing to claim (it used to take job 2's chunk 1).
		describeJob(control, chunkArgs, 0, chunksOf(2, 3), -1);
		claimChunks(late.fn, 1, control, chunkArgs, new Float64Array(MAX_ARGS), 0);
		expect(late.calls).toEqual([]);
		expect(Atomics.load(control, FINISHED)).toBe(0);
		// Job 2 then runs each chunk exactly once, and finishes only when all three have.
		openJob(control, 2);
		claimChunks(main.fn, 2, control, chunkArgs, own, 0);
		expect(main.calls).toEqual(['1:0', '2:0', '2:1', '2:2']);
		expect(Atomics.load(control, FINISHED)).toBe(3);
	});
});
