import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '$lib/shared/realtime';
import { RunStreamState } from './runStream.svelte';

let seq = 0;
const event = (type: string, data: unknown): StreamEvent => ({ stream: 'run:x', seq: ++seq, type, at: 0, data });
const metric = (step: number, loss: number) => event('metrics', { step, epoch: 0, elapsed_ms: step, loss });

describe('RunStreamState', () => {
	it('builds series from history and ignores events it already has', () => {
		seq = 0;
		const state = new RunStreamState();
		const history = [event('status', { status: 'running' }), metric(1, 3), metric(2, 2.5), event('log', { line: 'hello' })];
		state.apply(history);
		state.apply(history.slice(2));
		expect(state.points('loss')).toEqual([
			{ x: 1, y: 3 },
			{ x: 2, y: 2.5 }
		]);
		expect(state.logs).toEqual(['hello']);
		expect(state.status).toBe('running');
		expect(state.lastSeq).toBe(4);
	});

	it('replaces the points after the checkpoint a resumed run restarts from', () => {
		seq = 0;
		const state = new RunStreamState();
		state.apply([metric(1, 3), metric(2, 2.8), metric(3, 2.6), metric(4, 2.4)]);
		state.apply([event('status', { status: 'interrupted' }), event('status', { status: 'running', resumedFromStep: 2 }), metric(3, 2.61)]);
		expect(state.points('loss').map((p) => p.x)).toEqual([1, 2, 3]);
		expect(state.points('loss').at(-1)?.y).toBe(2.61);
		expect(state.error).toBeNull();
	});

	it('parses every event and skips the ones that are not run events', () => {
		seq = 0;
		const state = new RunStreamState();
		state.apply([metric(1, 3), event('metrics', { step: 2, loss: 'NaN' }), event('log', { text: 'wrong field' }), event('checkpoint', { step: 2, name: 'checkpoint-2' }), metric(3, 2)]);
		expect(state.points('loss')).toEqual([
			{ x: 1, y: 3 },
			{ x: 3, y: 2 }
		]);
		expect(state.logs).toEqual([]);
		expect(state.checkpoints).toEqual([{ step: 2, name: 'checkpoint-2' }]);
		expect(state.rejected).toBe(2);
		expect(state.lastSeq).toBe(5);
	});
});
