import { describe, expect, it } from 'vitest';
import { isAllowedOrigin } from './origin';

describe('isAllowedOrigin', () => {
	it('allows same-host origins and requests without Origin', () => {
		expect(isAllowedOrigin({ host: 'localhost:7860', origin: 'http://localhost:7860' }, null)).toBe(true);
		expect(isAllowedOrigin({ host: 'localhost:7860' }, null)).toBe(true);
	});

	it('refuses other sites and malformed origins', () => {
		expect(isAllowedOrigin({ host: 'localhost:7860', origin: 'http://evil.example' }, null)).toBe(false);
		expect(isAllowedOrigin({ host: 'localhost:7860', origin: 'null' }, null)).toBe(false);
	});

	it('uses the configured ORIGIN when set', () => {
		const configured = 'https://board.example.com';
		expect(isAllowedOrigin({ host: 'internal:7860', origin: configured }, configured)).toBe(true);
		expect(isAllowedOrigin({ host: 'internal:7860', origin: 'http://internal:7860' }, configured)).toBe(false);
	});
});
