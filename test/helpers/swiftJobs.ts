import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { io, type Socket } from 'socket.io-client';
import { expect } from 'vitest';
import type { ModelSummary } from '../../src/lib/shared/models';
import type { StreamEvent, SubscribeAck } from '../../src/lib/shared/realtime';
import type { RunRecord } from '../../src/lib/shared/run/runRecord';
import type { ApiClient } from './api';

/** What the tests of ms-swift's eval, export and deploy jobs share: the CLI's test double, a swift checkpoint, streams. */

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures');
/** The test double of ms-swift's `swift` command. */
export const swiftFixture = path.join(fixtures, 'swift/swift');
/** PATH with the stand-in nvidia-smi first: the server then sees two GPUs. */
export const pathWithTwoGpus = `${path.join(fixtures, 'nvidia-smi')}:${process.env.PATH}`;

/** Trains a two-step swift run and returns its checkpoint as the registry lists it (setup code: polled by hand). */
export async function swiftCheckpoint(admin: ApiClient, dataset: string): Promise<ModelSummary> {
	const run = await admin.json<{ run: RunRecord }>('POST', '/api/runs', { name: 'tuned', engine: 'swift', model: 'Qwen/Qwen2.5-0.5B-Instruct', dataset, max_steps: 2, save_steps: 2, logging_steps: 1 });
	expect(run.status, JSON.stringify(run.body)).toBe(201);
	for (const started = Date.now(); Date.now() - started < 20_000; await new Promise((resolve) => setTimeout(resolve, 100))) {
		const found = (await admin.json<{ models: ModelSummary[] }>('GET', '/api/models')).body.models.find((m) => m.runId === run.body.run.id);
		if (found) return found;
	}
	throw new Error('The swift run saved no checkpoint in 20 s');
}

/** Events of the streams a test follows, each kept once (live, or in the replay after subscribing). */
export class StreamRecorder {
	private readonly socket: Socket;
	private readonly events = new Map<string, StreamEvent[]>();

	constructor(url: string, client: ApiClient) {
		this.socket = io(url, { path: '/socket.io', transports: ['websocket'], extraHeaders: { cookie: client.cookie }, reconnection: false, forceNew: true });
		const keep = (event: StreamEvent) => {
			const list = this.events.get(event.stream);
			if (list && !list.some((e) => e.seq === event.seq)) list.push(event);
		};
		this.socket.on('stream:event', keep);
		this.socket.on('stream:replay', (batch: { events: StreamEvent[] }) => batch.events.forEach(keep));
	}

	async follow(stream: string): Promise<void> {
		this.events.set(stream, []);
		const ack = await new Promise<SubscribeAck>((resolve) => this.socket.emit('stream:subscribe', { stream, afterSeq: 0 }, resolve));
		expect(ack).toMatchObject({ ok: true });
	}

	of(stream: string): StreamEvent[] {
		return this.events.get(stream) ?? [];
	}

	logOf(stream: string): string[] {
		return this.of(stream)
			.filter((e) => e.type === 'log')
			.map((e) => (e.data as { line: string }).line);
	}

	/** The process group a swift job's log names (`Started swift <cmd> (process group N)`). */
	processGroup(stream: string): number {
		return Number(/process group (\d+)/.exec(this.logOf(stream).join('\n'))?.[1]);
	}

	close(): void {
		this.socket.close();
	}
}

/** Whether no process of the group is left. */
export function groupGone(pid: number): boolean {
	try {
		process.kill(-pid, 0);
		return false;
	} catch {
		return true;
	}
}
