import { describe, expect, it } from 'vitest';
import { LoginRateLimiter, type LoginLimits } from './loginRateLimiter';

const limits: LoginLimits = { freeFailuresPerPair: 2, baseBackoffMs: 1000, maxBackoffMs: 8000, failuresPerAddress: 5, addressWindowMs: 60_000 };

describe('LoginRateLimiter', () => {
	it('backs a (address, username) pair off exponentially after its free failures', () => {
		let now = 0;
		const limiter = new LoginRateLimiter({ ...limits, failuresPerAddress: 100 }, () => now);
		limiter.recordFailure('a', 'admin');
		limiter.recordFailure('a', 'admin');
		expect(limiter.retryAfterMs('a', 'admin')).toBe(0);
		limiter.recordFailure('a', 'admin');
		expect(limiter.retryAfterMs('a', 'admin')).toBe(1000);
		now = 1000;
		limiter.recordFailure('a', 'Admin');
		expect(limiter.retryAfterMs('a', 'admin')).toBe(2000);
		now = 3000;
		limiter.recordFailure('a', 'admin');
		expect(limiter.retryAfterMs('a', 'admin')).toBe(4000);
		now = 7000;
		limiter.recordFailure('a', 'admin');
		now = 100_000;
		limiter.recordFailure('a', 'admin');
		// Capped at maxBackoffMs.
		expect(limiter.retryAfterMs('a', 'admin')).toBe(8000);
	});

	it('holds back only the failing address, never the account everywhere', () => {
		const limiter = new LoginRateLimiter(limits, () => 0);
		for (let i = 0; i < 4; i++) limiter.recordFailure('attacker', 'admin');
		expect(limiter.retryAfterMs('attacker', 'admin')).toBeGreaterThan(0);
		expect(limiter.retryAfterMs('office', 'admin')).toBe(0);
	});

	it('a success clears the pair but not the address budget', () => {
		let now = 0;
		const limiter = new LoginRateLimiter(limits, () => now);
		for (const name of ['u1', 'u2', 'u3', 'u4']) limiter.recordFailure('a', name);
		limiter.recordSuccess('a', 'me');
		limiter.recordFailure('a', 'u5');
		// Five failures across usernames spend the address budget, whatever the success in between.
		expect(limiter.retryAfterMs('a', 'u6')).toBe(60_000);
		expect(limiter.retryAfterMs('a', 'me')).toBe(60_000);
		expect(limiter.retryAfterMs('b', 'u6')).toBe(0);
		now = 60_001;
		expect(limiter.retryAfterMs('a', 'u6')).toBe(0);
	});
});
