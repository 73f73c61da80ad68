import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Finding ms-swift's `swift` executable and reading its version. The CLI has no version flag (its
 * `cli_main` routes every first argument to a subcommand), and `swift` is a console-script wrapper
 * whose shebang names the Python that has the `swift` package; that Python is asked for
 * `swift.__version__`, as `pip show ms-swift` would tell. A launcher that is not a Python script
 * (a site's wrapper, the test double) is asked `swift --version`, and must answer with the version alone.
 */

export interface LocatedSwift {
	bin: string;
	source: 'configured' | 'path';
}

function executable(file: string): boolean {
	try {
		fs.accessSync(file, fs.constants.X_OK);
		return fs.statSync(file).isFile();
	} catch {
		return false;
	}
}

/** The configured executable (which must exist), else the first `swift` on PATH, else null. */
export function locateSwift(configured: string | null, searchPath = process.env.PATH ?? ''): LocatedSwift | { problem: string } {
	if (configured) {
		return executable(configured) ? { bin: configured, source: 'configured' } : { problem: `SWIFTBOARD_SWIFT_BIN is ${configured}, which is not an executable file.` };
	}
	for (const dir of searchPath.split(path.delimiter).filter(Boolean)) {
		const candidate = path.join(dir, 'swift');
		if (executable(candidate)) return { bin: candidate, source: 'path' };
	}
	return { problem: 'No `swift` executable on PATH: install ms-swift (pip install ms-swift) or set SWIFTBOARD_SWIFT_BIN.' };
}

/** The interpreter a script's `#!` line names (`/usr/bin/env python3` -> ['/usr/bin/env', 'python3']), or null. */
export function shebangOf(file: string): string[] | null {
	const fd = fs.openSync(file, 'r');
	try {
		const head = Buffer.alloc(256);
		const read = fs.readSync(fd, head, 0, head.length, 0);
		const first = head.subarray(0, read).toString('utf8').split('\n')[0];
		return first.startsWith('#!') ? first.slice(2).trim().split(/\s+/) : null;
	} finally {
		fs.closeSync(fd);
	}
}

/** How to ask this executable for ms-swift's version. */
export function versionQuery(bin: string): { file: string; args: string[] } {
	const interpreter = shebangOf(bin);
	const program = interpreter?.find((part, i) => i > 0 || !part.endsWith('/env')) ?? '';
	if (interpreter && /python[\d.]*$/.test(path.basename(program))) {
		const [file, ...rest] = interpreter;
		return { file, args: [...rest, '-c', 'import swift; print(swift.__version__)'] };
	}
	return { file: bin, args: ['--version'] };
}

/** ms-swift's version as the executable reports it, or a reason it could not be read. */
export function readSwiftVersion(bin: string, timeoutMs = 20_000): Promise<{ version: string } | { problem: string }> {
	const query = versionQuery(bin);
	return new Promise((resolve) => {
		execFile(query.file, query.args, { timeout: timeoutMs }, (error, stdout, stderr) => {
			const version = stdout.split('\n').map((line) => line.trim()).findLast((line) => /^\d+\.\d+(\.\d+)?\S*$/.test(line));
			if (!error && version) resolve({ version });
			else resolve({ problem: `Could not read ms-swift's version: ${(stderr.trim().split('\n').at(-1) || error?.message) ?? 'no version in the answer'}` });
		});
	});
}
