import net from 'node:net';

/**
 * Waiting for `swift deploy` to serve: it loads the model first (minutes for a large one), then answers
 * `GET /health` with 200. Polled, because nothing else tells when loading is over.
 */

export type HealthWait = { outcome: 'healthy' } | { outcome: 'timeout' } | { outcome: 'gave-up' };

export interface HealthWaitOptions {
	timeoutMs: number;
	intervalMs?: number;
	/** True once waiting is pointless: the process exited, or a stop was asked for. */
	giveUp: () => boolean;
}

/** Whether `url` answers 200 now (connection refused, a 503 while loading, or a slow answer all count as no). */
async function answers(url: string): Promise<boolean> {
	try {
		const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
		await response.body?.cancel();
		return response.ok;
	} catch {
		return false;
	}
}

export async function waitHealthy(url: string, options: HealthWaitOptions): Promise<HealthWait> {
	const interval = options.intervalMs ?? 250;
	const deadline = Date.now() + options.timeoutMs;
	for (;;) {
		if (options.giveUp()) return { outcome: 'gave-up' };
		if (await answers(url)) return { outcome: 'healthy' };
		if (Date.now() >= deadline) return { outcome: 'timeout' };
		await new Promise((resolve) => setTimeout(resolve, Math.min(interval, Math.max(0, deadline - Date.now()))));
	}
}

/** A port free on 127.0.0.1 now, for the server about to start (the OS picks it). */
export function freeLocalPort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}
