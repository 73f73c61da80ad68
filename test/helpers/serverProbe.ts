import { spawn } from 'node:child_process';
import fs from 'node:fs';

/** The resident set size of a process, in bytes, from /proc (Linux). */
export function rssBytes(pid: number): number {
	const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
	if (!match) throw new Error(`No VmRSS for process ${pid}`);
	return Number(match[1]) * 1024;
}

/** One timed request: when it started (epoch ms) and how long it took (ms; Infinity when it failed). */
export interface Sample {
	at: number;
	ms: number;
}

export interface LatencyProbe {
	/** Resolves once the probe's own HTTP client is warm (its first requests are left out). */
	ready: Promise<void>;
	stop(): Promise<Sample[]>;
}

/**
 * Times GET requests to `url` from a separate process, so the test's own busy event loop does not
 * inflate the numbers, until `stop()` is called.
 */
export function startLatencyProbe(url: string, intervalMs = 10, warmUp = 5): LatencyProbe {
	const script = `
		let running = true;
		process.stdin.on('data', () => { running = false; });
		(async () => {
			while (running) {
				const at = Date.now();
				const started = performance.now();
				const response = await fetch(${JSON.stringify(url)});
				await response.arrayBuffer();
				process.stdout.write(JSON.stringify({ at, ms: response.ok ? performance.now() - started : 1e9 }) + '\\n');
				await new Promise((resolve) => setTimeout(resolve, ${intervalMs}));
			}
			process.exit(0);
		})();`;
	const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
	const samples: Sample[] = [];
	let pending = '';
	let onSample = () => {};
	child.stdout.on('data', (chunk: Buffer) => {
		const lines = (pending + chunk.toString()).split('\n');
		pending = lines.pop() ?? '';
		for (const line of lines) samples.push(JSON.parse(line) as Sample);
		onSample();
	});
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	const ready = new Promise<void>((resolve) => {
		onSample = () => {
			if (samples.length >= warmUp) resolve();
		};
	});
	return {
		ready,
		async stop() {
			child.stdin.write('stop\n');
			await exited;
			return samples.slice(warmUp);
		}
	};
}

export function percentile(values: number[], p: number): number {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
