import { SwiftProcess, type SwiftExit } from './swiftProcess';
import type { JobRunContext } from './types';

/**
 * One ms-swift command run to its end under a job: started as a supervised process group, its console
 * sent to the job's log, a stop request turned into SIGTERM to the group (SIGKILL after the grace), and
 * `onTick` called while it runs, for runners that follow files it writes.
 */

/** How often a stop request is looked for (and `onTick` called). */
const POLL_MS = 100;
/** Lines of the console's tail that go into a failed command's error. */
const ERROR_TAIL_LINES = 12;

export interface SupervisedSwift {
	bin: string;
	argv: string[];
	env: Record<string, string>;
	cwd: string;
	stopGraceMs: number;
	onLine?: (line: string) => void;
	onTick?: () => void;
	/** A reason of the runner's own to end the command (a server that never became healthy). */
	stopWhen?: () => boolean;
}

export interface SupervisedExit {
	exit: SwiftExit;
	/** The job's stop request (or `stopWhen`) ended it. */
	stopped: boolean;
}

export async function superviseSwift(command: SupervisedSwift, context: JobRunContext): Promise<SupervisedExit> {
	const child = new SwiftProcess({
		bin: command.bin,
		argv: command.argv,
		env: command.env,
		cwd: command.cwd,
		onLine: (line) => {
			context.log(line);
			command.onLine?.(line);
		}
	});
	context.log(`Started swift ${command.argv[0]} (process group ${child.pid ?? '?'}).`);
	const timer = setInterval(() => {
		command.onTick?.();
		if ((context.stopRequested || command.stopWhen?.()) && !child.stopRequested) {
			context.log(`Stopping: SIGTERM to the process group, SIGKILL after ${command.stopGraceMs} ms.`);
			void child.stop(command.stopGraceMs);
		}
	}, POLL_MS);
	try {
		const exit = await child.exited;
		command.onTick?.();
		return { exit, stopped: child.stopRequested };
	} finally {
		clearInterval(timer);
	}
}

/** The error of a command that failed: how it ended and the last lines it printed. */
export function swiftFailure(command: string, exit: SwiftExit): Error {
	const how = exit.signal ? `was ended by ${exit.signal}` : `exited with code ${exit.code}`;
	const tail = exit.tail.slice(-ERROR_TAIL_LINES).join('\n');
	return new Error(`swift ${command} ${how}.${tail ? `\n${tail}` : ''}`);
}
