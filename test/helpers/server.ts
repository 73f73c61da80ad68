import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface TestServer {
	url: string;
	port: number;
	dataDir: string;
	process: ChildProcess;
	output(): string;
	/** Graceful stop (SIGTERM), waiting for exit. */
	stop(): Promise<void>;
	/** Hard kill (SIGKILL), as a crash would. */
	kill(): Promise<void>;
}

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

export function tempDataDir(): string {
	return fs.mkdtempSync(path.join(os.tmpdir(), 'swiftboard-test-'));
}

/** Starts the real production server (`src/server.ts` over the built app) on a free port. */
export async function startServer(options: { dataDir?: string; env?: Record<string, string> } = {}): Promise<TestServer> {
	if (!fs.existsSync(path.join(root, 'build', 'handler.js'))) {
		throw new Error('Build the app first: npm run build');
	}
	const port = await freePort();
	const dataDir = options.dataDir ?? tempDataDir();
	const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
		cwd: root,
		env: {
			...process.env,
			PORT: String(port),
			HOST: '127.0.0.1',
			SWIFTBOARD_DATA_DIR: dataDir,
			SWIFTBOARD_HEARTBEAT_MS: '1000',
			SWIFTBOARD_DEMO_DATASETS: '0',
			...options.env
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

	await new Promise<void>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`Server did not start in 60 s:\n${output}`)), 60_000);
		const check = () => {
			if (output.includes('is running at')) {
				clearTimeout(timer);
				resolve();
			}
		};
		child.stdout?.on('data', check);
		child.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`Server exited with code ${code}:\n${output}`));
		});
	});

	const end = async (signal: NodeJS.Signals) => {
		if (child.exitCode === null && child.signalCode === null) child.kill(signal);
		await exited;
	};
	return {
		url: `http://127.0.0.1:${port}`,
		port,
		dataDir,
		process: child,
		output: () => output,
		stop: () => end('SIGTERM'),
		kill: () => end('SIGKILL')
	};
}
