import { afterEach, describe, expect, it } from 'vitest';
import type { WorkerEvent } from '../../src/lib/shared/workerProtocol';
import { DeviceSlot } from '../../src/lib/server/jobs/deviceSlot';
import { adminCredentials, ApiClient, setupAdmin } from '../helpers/api';
import { startServer, tempDataDir, type TestServer } from '../helpers/server';

function nextEvent(slot: DeviceSlot, name: 'idle'): Promise<void>;
function nextEvent(slot: DeviceSlot, name: 'job', predicate: (event: WorkerEvent) => boolean): Promise<WorkerEvent>;
function nextEvent(slot: DeviceSlot, name: 'idle' | 'job', predicate?: (event: WorkerEvent) => boolean): Promise<WorkerEvent | void> {
	return new Promise((resolve) => {
		if (name === 'idle') return slot.once('idle', () => resolve());
		const listener = (event: WorkerEvent) => {
			if (predicate?.(event)) {
				slot.off('job', listener);
				resolve(event);
			}
		};
		slot.on('job', listener);
	});
}

describe('device slot supervision', () => {
	let slot: DeviceSlot | null = null;
	afterEach(async () => {
		await slot?.terminate();
	});

	it('restarts a killed worker and reports the lost job as failed', async () => {
		slot = new DeviceSlot({ id: 'cpu', kind: 'cpu', name: 'test CPU', memoryMiB: null });
		slot.start();
		await nextEvent(slot, 'idle');
		const firstThread = slot.threadId;
		expect(firstThread).not.toBeNull();

		const failed = nextEvent(slot, 'job', (e) => e.type === 'failed');
		slot.run({ jobId: 'long', kind: 'noop', payload: { durationMs: 20_000, steps: 100 } });
		await nextEvent(slot, 'job', (e) => e.type === 'progress');
		const restarted = nextEvent(slot, 'idle');
		await slot.kill();

		const failure = await failed;
		expect(failure).toMatchObject({ type: 'failed', jobId: 'long' });
		await restarted;
		expect(slot.restarts).toBe(1);
		expect(slot.threadId).not.toBeNull();
		expect(slot.threadId).not.toBe(firstThread);

		// The fresh worker runs the next job.
		const done = nextEvent(slot, 'job', (e) => e.type === 'succeeded');
		slot.run({ jobId: 'after', kind: 'noop', payload: { durationMs: 10, steps: 2 } });
		expect(await done).toMatchObject({ jobId: 'after' });
	});

	it('stops a running job at its next step when asked', async () => {
		slot = new DeviceSlot({ id: 'cpu', kind: 'cpu', name: 'test CPU', memoryMiB: null });
		slot.start();
		await nextEvent(slot, 'idle');
		const stopped = nextEvent(slot, 'job', (e) => e.type === 'stopped');
		slot.run({ jobId: 'stoppable', kind: 'noop', payload: { durationMs: 10_000, steps: 100 } });
		await nextEvent(slot, 'job', (e) => e.type === 'progress');
		slot.stopJob('stoppable');
		expect(await stopped).toMatchObject({ jobId: 'stoppable' });
	});
});

describe('job queue through the server', () => {
	let server: TestServer | null = null;
	afterEach(async () => {
		await server?.stop();
	});

	it('runs queued jobs in order on the CPU slot and keeps the queue across a restart', async () => {
		server = await startServer();
		const admin = await setupAdmin(server.url);
		const ids: string[] = [];
		for (let i = 0; i < 3; i++) {
			const { status, body } = await admin.json<{ job: { id: string; status: string } }>('POST', '/api/jobs', {
				kind: 'noop',
				payload: { durationMs: 50, steps: 2 }
			});
			expect(status).toBe(201);
			ids.push(body.job.id);
		}
		const deadline = Date.now() + 20_000;
		let jobs: { id: string; status: string; startedAt: number }[] = [];
		while (Date.now() < deadline) {
			jobs = (await admin.json<{ jobs: typeof jobs }>('GET', '/api/jobs')).body.jobs;
			if (jobs.every((j) => j.status === 'succeeded')) break;
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		expect(jobs.map((j) => j.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
		const started = ids.map((id) => jobs.find((j) => j.id === id)?.startedAt ?? 0);
		expect([...started].sort((a, b) => a - b)).toEqual(started);

		// Unknown devices and kinds are refused with a reason.
		const bad = await admin.json<{ error: { fields: Record<string, string> } }>('POST', '/api/jobs', { kind: 'noop', device: 'cuda:9' });
		expect(bad.status).toBe(400);
		expect(bad.body.error.fields.device).toBeTruthy();
	});
});

describe('graceful shutdown', () => {
	it('exits 0 on SIGTERM and records the running job as interrupted', async () => {
		const dataDir = tempDataDir();
		const first = await startServer({ dataDir });
		const admin = await setupAdmin(first.url);
		const { body } = await admin.json<{ job: { id: string } }>('POST', '/api/jobs', { kind: 'noop', payload: { durationMs: 30_000, steps: 300 } });
		for (let i = 0; i < 100; i++) {
			const job = (await admin.json<{ job: { status: string } }>('GET', `/api/jobs/${body.job.id}`)).body.job;
			if (job.status === 'running') break;
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
		await first.stop();
		expect(first.process.exitCode).toBe(0);
		expect(first.output()).toContain('SIGTERM received');

		const second = await startServer({ dataDir });
		try {
			const client = new ApiClient(second.url);
			expect((await client.request('POST', '/api/auth/login', adminCredentials)).status).toBe(200);
			const job = (await client.json<{ job: { status: string } }>('GET', `/api/jobs/${body.job.id}`)).body.job;
			expect(job.status).toBe('interrupted');
		} finally {
			await second.stop();
		}
	});
});
