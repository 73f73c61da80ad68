/**
 * A token bucket: `burst` actions at once, then `perSecond` on average. Used to bound how often one
 * socket may ask for work (subscribes), whatever the client sends.
 */
export class TokenBucket {
	private tokens: number;
	private updatedAt: number;

	constructor(
		private readonly perSecond: number,
		private readonly burst: number,
		private readonly now: () => number = Date.now
	) {
		this.tokens = burst;
		this.updatedAt = now();
	}

	/** Takes one token when there is one; false when the caller must wait. */
	take(): boolean {
		const now = this.now();
		this.tokens = Math.min(this.burst, this.tokens + ((now - this.updatedAt) / 1000) * this.perSecond);
		this.updatedAt = now;
		if (this.tokens < 1) return false;
		this.tokens -= 1;
		return true;
	}
}
