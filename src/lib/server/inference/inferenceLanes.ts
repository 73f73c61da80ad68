import type { InferenceCommand, InferenceWorkerEvent } from '../../shared/inferenceProtocol';

type GenerateCommand = Extract<InferenceCommand, { type: 'generate' }>;
type Listener = (event: Exclude<InferenceWorkerEvent, { type: 'ready' }>) => void;

/** What the lanes need of one inference worker thread (InferenceThread). */
export interface Lane {
	readonly provider: 'cpu' | 'cuda';
	/** Generations sent to it that have not ended. */
	readonly inFlight: number;
	generate(command: GenerateCommand, listener: Listener): void;
	cancel(id: string): void;
	close(): Promise<void>;
}

/**
 * The serving slot's inference worker threads. One thread decodes its streams together in batched
 * decoder runs, but on one core: onnxruntime-node runs a session on the calling thread. On the CPU
 * each further lane is a thread with its own sessions on another core, so concurrent requests decode
 * in parallel as well as batched. A request goes to the lane with the fewest generations in flight
 * (the first on a tie), so a lone chat always finds the same warm lane; threads start on first use.
 */
export class InferenceLanes {
	private readonly lanes: Lane[];
	/** Which lane holds each generation in flight, for cancel. */
	private readonly laneOf = new Map<string, Lane>();

	constructor(count: number, makeLane: (index: number) => Lane) {
		if (!Number.isInteger(count) || count < 1) throw new Error(`inference lanes: ${count} is not a positive whole number`);
		this.lanes = Array.from({ length: count }, (_, i) => makeLane(i));
	}

	get count(): number {
		return this.lanes.length;
	}

	/** The first lane's execution provider: every lane opens its sessions the same way. */
	get provider(): 'cpu' | 'cuda' {
		return this.lanes[0].provider;
	}

	/** Generations in flight on each lane. */
	load(): number[] {
		return this.lanes.map((lane) => lane.inFlight);
	}

	generate(command: GenerateCommand, listener: Listener): void {
		const lane = this.lanes.reduce((best, lane) => (lane.inFlight < best.inFlight ? lane : best));
		this.laneOf.set(command.id, lane);
		lane.generate(command, (event) => {
			if (event.type !== 'delta') this.laneOf.delete(command.id);
			listener(event);
		});
	}

	cancel(id: string): void {
		const lane = this.laneOf.get(id);
		this.laneOf.delete(id);
		lane?.cancel(id);
	}

	async close(): Promise<void> {
		await Promise.all(this.lanes.map((lane) => lane.close()));
	}
}
