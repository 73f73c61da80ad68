/**
 * Throttles failed sign-ins on two keys, neither of which a stranger can use to lock out someone else:
 *
 * - each (client address, username) pair gets a few free failures, then an exponentially growing wait
 *   (2 s, 4 s, 8 s, ... up to `maxBackoffMs`). Only that address is held back, so a guesser elsewhere
 *   cannot lock the admin out; a success from the pair clears it.
 * - each client address has a budget of failures across all usernames in a sliding window. A success
 *   does not refund it, so signing in to one's own account between guesses cannot hide password spraying.
 */
export interface LoginLimits {
	freeFailuresPerPair: number;
	baseBackoffMs: number;
	maxBackoffMs: number;
	failuresPerAddress: number;
	addressWindowMs: number;
}

export const defaultLoginLimits: LoginLimits = {
	freeFailuresPerPair: 5,
	baseBackoffMs: 2000,
	maxBackoffMs: 15 * 60_000,
	failuresPerAddress: 25,
	addressWindowMs: 15 * 60_000
};

interface PairState {
	failures: number;
	lockedUntil: number;
	lastFailure: number;
}

/** Entries kept before the stale ones are swept, so a flood of addresses cannot grow memory without bound. */
const sweepAbove = 10_000;

export class LoginRateLimiter {
	private readonly pairs = new Map<string, PairState>();
	private readonly addresses = new Map<string, number[]>();

	constructor(
		private readonly limits: LoginLimits = defaultLoginLimits,
		private readonly now: () => number = Date.now
	) {}

	/** Milliseconds until this address may try this username again; 0 when it may try now. */
	retryAfterMs(address: string, username: string): number {
		const now = this.now();
		const pair = this.pairs.get(pairKey(address, username));
		const pairWait = pair ? Math.max(0, pair.lockedUntil - now) : 0;
		const recent = this.recentFailures(address, now);
		const { failuresPerAddress, addressWindowMs } = this.limits;
		const addressWait = recent.length < failuresPerAddress ? 0 : recent[recent.length - failuresPerAddress] + addressWindowMs - now;
		return Math.max(pairWait, addressWait);
	}

	recordFailure(address: string, username: string): void {
		const now = this.now();
		const key = pairKey(address, username);
		const pair = this.pairs.get(key) ?? { failures: 0, lockedUntil: 0, lastFailure: 0 };
		pair.failures++;
		pair.lastFailure = now;
		const over = pair.failures - this.limits.freeFailuresPerPair;
		if (over > 0) pair.lockedUntil = now + Math.min(this.limits.maxBackoffMs, this.limits.baseBackoffMs * 2 ** Math.min(over - 1, 30));
		this.pairs.set(key, pair);
		const recent = this.recentFailures(address, now);
		recent.push(now);
		this.addresses.set(address, recent);
		if (this.pairs.size > sweepAbove || this.addresses.size > sweepAbove) this.sweep(now);
	}

	/** A correct password clears the pair's backoff; the address budget stays spent. */
	recordSuccess(address: string, username: string): void {
		this.pairs.delete(pairKey(address, username));
	}

	private recentFailures(address: string, now: number): number[] {
		const cutoff = now - this.limits.addressWindowMs;
		return (this.addresses.get(address) ?? []).filter((t) => t > cutoff);
	}

	private sweep(now: number): void {
		for (const [key, pair] of this.pairs) {
			if (pair.lockedUntil <= now && pair.lastFailure <= now - this.limits.maxBackoffMs) this.pairs.delete(key);
		}
		for (const address of [...this.addresses.keys()]) {
			if (this.recentFailures(address, now).length === 0) this.addresses.delete(address);
		}
	}
}

function pairKey(address: string, username: string): string {
	return `${address}\n${username.toLowerCase()}`;
}
