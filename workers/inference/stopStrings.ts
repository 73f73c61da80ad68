/**
 * Stop strings over streamed text: text is released as soon as it can no longer be the start of a
 * stop string, and generation ends at the first full match (the stop string itself is not returned).
 */
export class StopMatcher {
	private held = '';
	private done = false;

	constructor(private readonly stops: readonly string[]) {}

	get stopped(): boolean {
		return this.done;
	}

	/** Feeds new text; returns what may be shown now. */
	push(text: string): string {
		if (this.done) return '';
		if (this.stops.length === 0) return text;
		const buffer = this.held + text;
		let cut = -1;
		for (const stop of this.stops) {
			const at = buffer.indexOf(stop);
			if (at >= 0 && (cut < 0 || at < cut)) cut = at;
		}
		if (cut >= 0) {
			this.done = true;
			this.held = '';
			return buffer.slice(0, cut);
		}
		const keep = this.partialSuffix(buffer);
		this.held = buffer.slice(buffer.length - keep);
		return buffer.slice(0, buffer.length - keep);
	}

	/** The end of the stream: held text that never became a stop string. */
	flush(): string {
		const rest = this.done ? '' : this.held;
		this.held = '';
		return rest;
	}

	/** Length of the longest end of `buffer` that begins some stop string. */
	private partialSuffix(buffer: string): number {
		let best = 0;
		for (const stop of this.stops) {
			for (let n = Math.min(stop.length - 1, buffer.length); n > best; n--) {
				if (buffer.endsWith(stop.slice(0, n))) {
					best = n;
					break;
				}
			}
		}
		return best;
	}
}
