import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { access, chmod, constants } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { MediaError } from '../../engine/media/mediaError';

/**
 * The ffmpeg binary that ships inside `@ffmpeg-installer/<platform>`: nothing is fetched at run time.
 * `SWIFTBOARD_FFMPEG` points elsewhere for platforms the package does not cover.
 */
let located: Promise<string> | null = null;

async function locate(): Promise<string> {
	const override = process.env.SWIFTBOARD_FFMPEG?.trim();
	if (override) return override;
	let binary: string;
	try {
		// The installer package is CommonJS and throws a plain string when its platform binary is missing.
		binary = (createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg') as { path: string }).path;
	} catch (error) {
		throw new Error(`no packaged ffmpeg for ${process.platform}-${process.arch} (${String(error)}); run "npm ci" or set SWIFTBOARD_FFMPEG`);
	}
	try {
		await access(binary, constants.X_OK);
	} catch {
		// The package's postinstall only sets the execute bit; installs that skip scripts leave it off.
		await chmod(binary, 0o755);
	}
	return binary;
}

export function ffmpegPath(): Promise<string> {
	located ??= locate().catch((error: unknown) => {
		located = null;
		throw error;
	});
	return located;
}

export interface FfmpegResult {
	stdout: Buffer;
	/** What came out of each extra output pipe (ffmpeg's `pipe:3`, `pipe:4`, ...), with `pipes`. */
	pipes: Buffer[];
	stderr: string;
	/** ffmpeg was stopped when its output passed `maxOutputBytes`; the outputs hold what came before. */
	overflowed: boolean;
}

export interface FfmpegOptions {
	/** The media file the run is about, named in every error. */
	file: string;
	timeoutMs?: number;
	/** Accept a non-zero exit (for runs whose only product is the log, such as counting frames). */
	allowFailure?: boolean;
	/** Stop ffmpeg once its outputs together pass this many bytes (the result says so) rather than hold it all. */
	maxOutputBytes?: number;
	/** Output pipes besides stdout, on file descriptors 3, 4, ...: one run writing several outputs. */
	pipes?: number;
}

const STDERR_KEEP = 8192;

/** The last meaningful line of ffmpeg's log, which is where it says what went wrong. */
function lastLogLine(stderr: string): string {
	const lines = stderr.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
	return lines.at(-1) ?? 'no message';
}

export async function runFfmpeg(args: string[], options: FfmpegOptions): Promise<FfmpegResult> {
	const binary = await ffmpegPath();
	return new Promise((resolve, reject) => {
		const extra = options.pipes ?? 0;
		// stdin closed: ffmpeg otherwise waits for keyboard commands when run from a terminal.
		const child = spawn(binary, ['-hide_banner', '-nostdin', ...args], { stdio: ['ignore', 'pipe', 'pipe', ...Array<'pipe'>(extra).fill('pipe')] });
		// stdout, then the extra pipes (file descriptors 1, 3, 4, ...).
		const outputs = [1, ...Array.from({ length: extra }, (_, i) => 3 + i)].map((fd) => child.stdio[fd] as Readable);
		const chunks: Buffer[][] = outputs.map(() => []);
		let outputBytes = 0;
		let overflowed = false;
		let stderr = '';
		let timedOut = false;
		const timer = setTimeout(() => {
			timedOut = true;
			child.kill('SIGKILL');
		}, options.timeoutMs ?? 120_000);
		outputs.forEach((stream, i) =>
			stream.on('data', (chunk: Buffer) => {
				if (overflowed) return;
				chunks[i].push(chunk);
				outputBytes += chunk.length;
				if (options.maxOutputBytes !== undefined && outputBytes > options.maxOutputBytes) {
					overflowed = true;
					child.kill('SIGKILL');
				}
			})
		);
		const result = () => ({ stdout: Buffer.concat(chunks[0]), pipes: chunks.slice(1).map((c) => Buffer.concat(c)), stderr, overflowed });
		(child.stdio[2] as Readable).on('data', (chunk: Buffer) => {
			stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_KEEP);
		});
		child.on('error', (error) => {
			clearTimeout(timer);
			reject(new MediaError(options.file, 'tool', `could not run ffmpeg: ${error.message}`));
		});
		child.on('close', (code) => {
			clearTimeout(timer);
			if (timedOut) return reject(new MediaError(options.file, 'tool', `ffmpeg took longer than ${options.timeoutMs ?? 120_000} ms`));
			if (overflowed) return resolve(result());
			if (code !== 0 && !options.allowFailure) return reject(new MediaError(options.file, 'corrupt', `ffmpeg could not decode it: ${lastLogLine(stderr)}`));
			resolve(result());
		});
	});
}
