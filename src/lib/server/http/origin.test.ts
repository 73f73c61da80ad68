import { describe, expect, it } from 'vitest';
import { isAllowedOrigin, isAllowedStateChange, nodeHeaders } from './origin';

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

describe('isAllowedStateChange', () => {
	const from = (headers: Record<string, string>) => nodeHeaders({ host: 'localhost:7860', ...headers });

	it('checks only state-changing methods', () => {
		expect(isAllowedStateChange('GET', from({ origin: 'http://evil.example' }), null)).toBe(true);
		for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
			expect(isAllowedStateChange(method, from({ origin: 'http://evil.example' }), null)).toBe(false);
			expect(isAllowedStateChange(method, from({ origin: 'http://localhost:7860' }), null)).toBe(true);
		}
	});

	it('falls back to Referer, then Sec-Fetch-Site, and passes requests that name no page', () => {
		expect(isAllowedStateChange('POST', from({ referer: 'http://evil.example/x' }), null)).toBe(false);
		expect(isAllowedStateChange('POST', from({ referer: 'http://localhost:7860/admin' }), null)).toBe(true);
		expect(isAllowedStateChange('POST', from({ referer: 'not a url' }), null)).toBe(false);
		expect(isAllowedStateChange('POST', from({ 'sec-fetch-site': 'cross-site' }), null)).toBe(false);
		expect(isAllowedStateChange('POST', from({ 'sec-fetch-site': 'same-site' }), null)).toBe(false);
		expect(isAllowedStateChange('POST', from({ 'sec-fetch-site': 'same-origin' }), null)).toBe(true);
		expect(isAllowedStateChange('POST', from({}), null)).toBe(true);
	});

	it('exempts bearer-authenticated requests and honours ORIGIN', () => {
		expect(isAllowedStateChange('POST', from({ origin: 'http://evil.example', authorization: 'Bearer sk-1' }), null)).toBe(true);
		expect(isAllowedStateChange('POST', from({ origin: 'http://evil.example', authorization: 'Basic eDp5' }), null)).toBe(false);
		const configured = 'https://board.example.com';
		expect(isAllowedStateChange('POST', from({ origin: configured }), configured)).toBe(true);
		expect(isAllowedStateChange('POST', from({ origin: 'http://localhost:7860' }), configured)).toBe(false);
	});
});
