import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freeLocalPort, waitHealthy } from './swiftDeployHealth';

const servers: http.Server[] = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

/** A server whose /health answers 503 for its first `loading` requests, then 200. */
async function serve(loading: number): Promise<{ url: string; asked: () => number }> {
	let asked = 0;
	const server = http.createServer((req, res) => {
		asked++;
		res.writeHead(asked > loading ? 200 : 503).end();
	});
	servers.push(server);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`, asked: () => asked };
}

describe('waiting for swift deploy to serve', () => {
	it('polls /health through the loading answers until it is 200', async () => {
		const server = await serve(3);
		expect(await waitHealthy(server.url, { timeoutMs: 5000, intervalMs: 10, giveUp: () => false })).toEqual({ outcome: 'healthy' });
		expect(server.asked()).toBe(4);
	});

	it('times out on a server that never gets healthy, and on no server at all', async () => {
		const server = await serve(Infinity);
		expect(await waitHealthy(server.url, { timeoutMs: 100, intervalMs: 10, giveUp: () => false })).toEqual({ outcome: 'timeout' });
		const port = await freeLocalPort();
		expect(await waitHealthy(`http://127.0.0.1:${port}/health`, { timeoutMs: 100, intervalMs: 10, giveUp: () => false })).toEqual({ outcome: 'timeout' });
	});

	it('gives up at once when the process has exited', async () => {
		const server = await serve(Infinity);
		expect(await waitHealthy(server.url, { timeoutMs: 60_000, intervalMs: 10, giveUp: () => server.asked() >= 2 })).toEqual({ outcome: 'gave-up' });
	});
});
