import { spawn } from 'node:child_process';
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
	stderr: string;
	/** ffmpeg was stopped when its output passed `maxStdoutBytes`; stdout holds what came before. */
	overflowed: boolean;
}

export interface FfmpegOptions {
	/** The media file the run is about, named in every error. */
	file: string;
	timeoutMs?: number;
	/** Accept a non-zero exit (for runs whose only product is the log, such as counting frames). */
	allowFailure?: boolean;
	/** Stop ffmpeg once its output passes this many bytes (the result says so) rather than hold it all. */
	maxStdoutBytes?: number;
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
		// stdin closed: ffmpeg otherwise waits for keyboard commands when run from a terminal.
		const child = spawn(binary, ['-hide_banner', '-nostdin', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
		const chunks: Buffer[] = [];
		let stdoutBytes = 0;
		let overflowed = false;
		let stderr = '';
		let timedOut = false;
		const timer = setTimeout(() => {
			timedOut = true;
			child.kill('SIGKILL');
		}, options.timeoutMs ?? 120_000);
		child.stdout.on('data', (chunk: Buffer) => {
			if (overflowed) return;
			chunks.push(chunk);
			stdoutBytes += chunk.length;
			if (options.maxStdoutBytes !== undefined && stdoutBytes > options.maxStdoutBytes) {
				overflowed = true;
				child.kill('SIGKILL');
			}
		});
		child.stderr.on('data', (chunk: Buffer) => {
			stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_KEEP);
		});
		child.on('error', (error) => {
			clearTimeout(timer);
			reject(new MediaError(options.file, 'tool', `could not run ffmpeg: ${error.message}`));
		});
		child.on('close', (code) => {
			clearTimeout(timer);
			if (timedOut) return reject(new MediaError(options.file, 'tool', `ffmpeg took longer than ${options.timeoutMs ?? 120_000} ms`));
			if (overflowed) return resolve({ stdout: Buffer.concat(chunks), stderr, overflowed });
			if (code !== 0 && !options.allowFailure) return reject(new MediaError(options.file, 'corrupt', `ffmpeg could not decode it: ${lastLogLine(stderr)}`));
			resolve({ stdout: Buffer.concat(chunks), stderr, overflowed });
		});
	});
}
