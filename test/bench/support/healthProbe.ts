// Polls GET /api/health back to back (one request in flight) until it is told to stop (a line on stdin)
// or `durationMs` passes, printing each latency in ms on its own line. It runs as its own process so
// the load generator's event loop adds nothing to what it measures.

import http from 'node:http';

const [url, durationArg] = process.argv.slice(2);
const durationMs = Number(durationArg);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function once(): Promise<number> {
	const started = performance.now();
	return new Promise((resolve, reject) => {
		http
			.get(`${url}/api/health`, { agent }, (response) => {
				response.resume();
				response.on('end', () => resolve(performance.now() - started));
			})
			.on('error', reject);
	});
}

let stopped = false;
process.stdin.once('data', () => (stopped = true));
const end = Date.now() + durationMs;
while (!stopped && Date.now() < end) {
	process.stdout.write(`${await once()}\n`);
	await new Promise((resolve) => setTimeout(resolve, 5));
}
agent.destroy();
process.stdin.destroy();
