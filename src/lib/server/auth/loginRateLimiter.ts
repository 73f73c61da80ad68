/**
 * Counts failed logins per key (client address, and username) in a sliding window. Past the limit the
 * key is refused until its oldest failure leaves the window. Success clears the key.
 */
export class LoginRateLimiter {
	private readonly failures = new Map<string, number[]>();

	constructor(
		private readonly maxFailures = 10,
		private readonly windowMs = 15 * 60_000,
		private readonly now: () => number = Date.now
	) {}

	/** Milliseconds until `key` may try again; 0 when it may try now. */
	retryAfterMs(key: string): number {
		const recent = this.recent(key);
		if (recent.length < this.maxFailures) return 0;
		return recent[recent.length - this.maxFailures] + this.windowMs - this.now();
	}

	recordFailure(key: string): void {
		const recent = this.recent(key);
		recent.push(this.now());
		this.failures.set(key, recent);
		if (this.failures.size > 10_000) this.prune();
	}

	clear(key: string): void {
		this.failures.delete(key);
	}

	private recent(key: string): number[] {
		const cutoff = this.now() - this.windowMs;
		return (this.failures.get(key) ?? []).filter((t) => t > cutoff);
	}

	private prune(): void {
		for (const key of [...this.failures.keys()]) {
			if (this.recent(key).length === 0) this.failures.delete(key);
		}
	}
}
