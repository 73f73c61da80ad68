import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * An ms-swift command run as a supervised child: in its own process group (torchrun and its rank
 * workers share it), its stdout and stderr read line by line, stopped with SIGTERM to the whole group
 * and SIGKILL after a grace period. The last lines of output are kept for the error of a failed run.
 */

export interface SwiftProcessOptions {
	bin: string;
	argv: string[];
	/** Added to the worker's own environment. */
	env: Record<string, string>;
	cwd: string;
	onLine: (line: string, stream: 'stdout' | 'stderr') => void;
}

export interface SwiftExit {
	code: number | null;
	signal: NodeJS.Signals | null;
	/** The last lines of stdout and stderr together, for the run's error. */
	tail: string[];
}

const TAIL_LINES = 20;
/** Process groups started here and not yet ended, so a worker that is shutting down can end them. */
const liveGroups = new Set<number>();

function signalGroup(pid: number, signal: NodeJS.Signals): void {
	try {
		process.kill(-pid, signal);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
	}
}

/** Whether any process of the group is still there. */
export function groupAlive(pid: number): boolean {
	try {
		process.kill(-pid, 0);
		return true;
	} catch {
		return false;
	}
}

/** Ends every group this thread started: a device worker calls this when its thread exits. */
export function killLiveGroups(): void {
	for (const pid of liveGroups) signalGroup(pid, 'SIGKILL');
	liveGroups.clear();
}

export class SwiftProcess {
	private readonly child: ChildProcess;
	private readonly tail: string[] = [];
	readonly exited: Promise<SwiftExit>;
	private stopping = false;

	constructor(options: SwiftProcessOptions) {
		this.child = spawn(options.bin, options.argv, {
			cwd: options.cwd,
			env: { ...process.env, ...options.env, PYTHONUNBUFFERED: '1' },
			stdio: ['ignore', 'pipe', 'pipe'],
			// Its own process group, so a stop reaches torchrun's rank workers as well.
			detached: true
		});
		const pid = this.child.pid;
		if (pid !== undefined) liveGroups.add(pid);
		for (const stream of ['stdout', 'stderr'] as const) this.readLines(stream, options.onLine);
		this.exited = new Promise((resolve, reject) => {
			this.child.once('error', (error) => {
				if (pid !== undefined) liveGroups.delete(pid);
				reject(new Error(`Could not start ${options.bin}: ${error.message}`));
			});
			this.child.once('close', (code, signal) => {
				// Rank workers left behind by a leader that died are ended with it.
				if (pid !== undefined) {
					signalGroup(pid, 'SIGKILL');
					liveGroups.delete(pid);
				}
				resolve({ code, signal, tail: [...this.tail] });
			});
		});
	}

	get pid(): number | undefined {
		return this.child.pid;
	}

	get stopRequested(): boolean {
		return this.stopping;
	}

	/** SIGTERM to the group; SIGKILL to whatever of it is left after `graceMs`. */
	async stop(graceMs: number): Promise<SwiftExit> {
		const pid = this.child.pid;
		if (pid === undefined || this.stopping) return this.exited;
		this.stopping = true;
		signalGroup(pid, 'SIGTERM');
		const done = await Promise.race([this.exited.then(() => true), sleep(graceMs).then(() => false)]);
		if (!done || groupAlive(pid)) signalGroup(pid, 'SIGKILL');
		return this.exited;
	}

	private readLines(stream: 'stdout' | 'stderr', onLine: SwiftProcessOptions['onLine']): void {
		let pending = '';
		const source = this.child[stream];
		source?.setEncoding('utf8');
		const emit = (raw: string) => {
			// Progress bars redraw with carriage returns; the last state of the line is what counts.
			const line = raw.split('\r').filter(Boolean).at(-1)?.trimEnd() ?? '';
			if (!line) return;
			this.tail.push(line);
			if (this.tail.length > TAIL_LINES) this.tail.shift();
			onLine(line, stream);
		};
		source?.on('data', (chunk: string) => {
			pending += chunk;
			const lines = pending.split('\n');
			pending = lines.pop() ?? '';
			for (const line of lines) emit(line);
		});
		source?.on('end', () => {
			if (pending) emit(pending);
			pending = '';
		});
	}
}
