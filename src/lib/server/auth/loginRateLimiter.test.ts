import { describe, expect, it } from 'vitest';
import { LoginRateLimiter } from './loginRateLimiter';

describe('LoginRateLimiter', () => {
	it('refuses a key after the limit until the oldest failure leaves the window', () => {
		let now = 0;
		const limiter = new LoginRateLimiter(3, 1000, () => now);
		for (let i = 0; i < 3; i++) {
			expect(limiter.retryAfterMs('ip:a')).toBe(0);
			limiter.recordFailure('ip:a');
			now += 100;
		}
		// Failures at 0, 100, 200; now 300: the first leaves the window at 1000.
		expect(limiter.retryAfterMs('ip:a')).toBe(700);
		expect(limiter.retryAfterMs('ip:b')).toBe(0);
		now = 1001;
		expect(limiter.retryAfterMs('ip:a')).toBe(0);
	});

	it('a success clears the key', () => {
		const limiter = new LoginRateLimiter(1, 1000, () => 0);
		limiter.recordFailure('user:x');
		expect(limiter.retryAfterMs('user:x')).toBeGreaterThan(0);
		limiter.clear('user:x');
		expect(limiter.retryAfterMs('user:x')).toBe(0);
	});
});
