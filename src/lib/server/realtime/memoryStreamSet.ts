import { MemoryStream } from './memoryStream';

/** Memory streams for many resources of one kind, keeping only the most recently used. */
export class MemoryStreamSet {
	private readonly streams = new Map<string, MemoryStream>();

	constructor(
		private readonly kind: string,
		private readonly maxStreams = 200,
		private readonly capacity = 1000
	) {}

	get(id: string): MemoryStream {
		let stream = this.streams.get(id);
		if (stream) {
			// Re-insert to mark it recently used (Map keeps insertion order).
			this.streams.delete(id);
		} else {
			stream = new MemoryStream(`${this.kind}:${id}`, this.capacity);
		}
		this.streams.set(id, stream);
		if (this.streams.size > this.maxStreams) {
			const oldest = this.streams.keys().next().value as string;
			this.streams.delete(oldest);
		}
		return stream;
	}
}
