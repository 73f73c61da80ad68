import { describe, expect, it } from 'vitest';
import type { InferenceCommand, InferenceWorkerEvent } from '../../shared/inferenceProtocol';
import { samplingSchema } from '../../shared/inference';
import { InferenceLanes, type Lane } from './inferenceLanes';

type Listener = (event: Exclude<InferenceWorkerEvent, { type: 'ready' }>) => void;

/** A lane that holds its generations until the test ends them. */
class HeldLane implements Lane {
	readonly provider = 'cpu' as const;
	readonly held = new Map<string, Listener>();
	readonly received: string[] = [];
	readonly cancelled: string[] = [];
	closed = false;

	get inFlight(): number {
		return this.held.size;
	}

	generate(command: Extract<InferenceCommand, { type: 'generate' }>, listener: Listener): void {
		this.received.push(command.id);
		this.held.set(command.id, listener);
	}

	cancel(id: string): void {
		this.cancelled.push(id);
		this.held.delete(id);
	}

	async close(): Promise<void> {
		this.closed = true;
	}

	end(id: string): void {
		const listener = this.held.get(id);
		this.held.delete(id);
		listener?.({ type: 'done', id, result: { text: '', finishReason: 'stop', usage: { prompt_tokens: 1, completion_tokens: 0 }, timings: { ttftMs: 0, totalMs: 0, tokensPerS: 0 } } });
	}
}

const command = (id: string): Extract<InferenceCommand, { type: 'generate' }> => ({ type: 'generate', id, exportDir: '/exports/m', precision: 'fp32', messages: [{ role: 'user', content: 'hi' }], media: [], sampling: samplingSchema.parse({}) });

function lanesOf(count: number) {
	const made: HeldLane[] = [];
	const lanes = new InferenceLanes(count, () => {
		const lane = new HeldLane();
		made.push(lane);
		return lane;
	});
	return { lanes, made };
}

describe('InferenceLanes', () => {
	it('sends each request to the lane with the fewest in flight, the first on a tie', () => {
		const { lanes, made } = lanesOf(2);
		for (const id of ['a', 'b', 'c']) lanes.generate(command(id), () => {});
		expect([...made[0].held.keys()]).toEqual(['a', 'c']);
		expect([...made[1].held.keys()]).toEqual(['b']);
		made[0].end('a');
		made[0].end('c');
		lanes.generate(command('d'), () => {});
		expect(lanes.load()).toEqual([1, 1]);
		expect([...made[0].held.keys()]).toEqual(['d']);
	});

	it('keeps a lone request on the first lane, so one user always finds the same warm sessions', () => {
		const { lanes, made } = lanesOf(3);
		for (const id of ['a', 'b', 'c']) {
			lanes.generate(command(id), () => {});
			made[0].end(id);
		}
		expect(made.map((lane) => lane.received)).toEqual([['a', 'b', 'c'], [], []]);
	});

	it('cancels on the lane that holds the generation, and forgets it once it ended', () => {
		const { lanes, made } = lanesOf(2);
		const events: string[] = [];
		lanes.generate(command('a'), (e) => events.push(`${e.type}:${e.id}`));
		lanes.generate(command('b'), (e) => events.push(`${e.type}:${e.id}`));
		lanes.cancel('b');
		expect(made[1].cancelled).toEqual(['b']);
		made[0].end('a');
		lanes.cancel('a');
		expect(made[0].cancelled).toEqual([]);
		expect(events).toEqual(['done:a']);
	});

	it('closes every lane and refuses a count that is not a positive whole number', async () => {
		const { lanes, made } = lanesOf(2);
		await lanes.close();
		expect(made.every((lane) => lane.closed)).toBe(true);
		expect(() => new InferenceLanes(0, () => new HeldLane())).toThrow(/positive whole number/);
	});
});
