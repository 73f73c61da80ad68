import { MediaError } from '../../engine/media/mediaError';
import { evenFrameIndices } from '../../engine/media/frameSampling';
import { runFfmpeg } from './ffmpeg';
import { loadImageTensor, pixelsTensor, type ImageOptions, type ImageTensor, type RgbPixels } from './image';
import { sourceName, withSourcePath, type MediaSource } from './mediaSource';
import { splitPngStream } from './pngStream';
import { splitPpmStream } from './ppmStream';

export interface VideoOptions extends ImageOptions {
	/** Frames to sample evenly over the clip; 8 by default. */
	frames?: number;
	/** Decoded bytes a clip may take to be read in one run; ONE_PASS_MAX_BYTES by default. */
	onePassMaxBytes?: number;
}

export interface VideoFrames {
	/** Exactly `frames` tensors in time order (repeated when the clip is shorter). */
	frames: ImageTensor[];
	/** Index of each sampled frame in the decoded stream. */
	indices: number[];
	sourceFrameCount: number;
}

export const DEFAULT_VIDEO_FRAMES = 8;

/**
 * Decoded frames of a short clip held at once, at most; a longer or larger clip is read twice
 * instead (its frames counted, then only the sampled ones decoded).
 */
export const ONE_PASS_MAX_BYTES = 64 * 1024 * 1024;

/** ffmpeg's log when it could not read a video, as the error that says why; null when it could. */
function readFailure(stderr: string, file: string): MediaError | null {
	if (/No such file or directory|Permission denied/i.test(stderr)) return new MediaError(file, 'corrupt', 'cannot read file');
	if (/matches no streams|does not contain any stream/i.test(stderr)) return new MediaError(file, 'unsupported', 'no video stream found');
	if (/Invalid data found|could not find codec|moov atom not found/i.test(stderr)) {
		return new MediaError(file, 'corrupt', 'cannot decode video: ffmpeg does not recognise the data');
	}
	return null;
}

/** Counts the frames of the first video stream by remuxing it to nowhere, which decodes nothing. */
async function countFrames(input: string, file: string): Promise<number> {
	const { stderr } = await runFfmpeg(['-i', input, '-map', '0:v:0', '-c', 'copy', '-f', 'null', '-'], { file, allowFailure: true });
	const failure = readFailure(stderr, file);
	if (failure) throw failure;
	const counts = [...stderr.matchAll(/frame=\s*(\d+)/g)];
	const count = counts.length ? Number(counts[counts.length - 1][1]) : 0;
	if (count < 1) throw new MediaError(file, 'corrupt', 'video has no frames');
	return count;
}

/**
 * Every frame of a short clip as RGB, in one ffmpeg run (one process start is most of a short
 * clip's cost); null when the frames pass maxBytes.
 */
async function allFrames(input: string, file: string, maxBytes: number): Promise<RgbPixels[] | null> {
	const { stdout, stderr, overflowed } = await runFfmpeg(['-v', 'error', '-i', input, '-map', '0:v:0', '-vsync', '0', '-f', 'image2pipe', '-c:v', 'ppm', 'pipe:1'], {
		file,
		allowFailure: true,
		maxOutputBytes: maxBytes
	});
	if (overflowed) return null;
	const failure = readFailure(stderr, file);
	if (failure) throw failure;
	let frames: RgbPixels[];
	try {
		frames = splitPpmStream(new Uint8Array(stdout.buffer, stdout.byteOffset, stdout.length));
	} catch (error) {
		throw new MediaError(file, 'corrupt', `cannot decode video: ${(error as Error).message}`);
	}
	if (frames.length === 0) throw new MediaError(file, 'corrupt', stderr.trim() ? `cannot decode video: ${stderr.trim().split('\n').at(-1)}` : 'video has no frames');
	return frames;
}

/** Decodes the listed frames as PNGs, in stream order. */
async function extractFrames(input: string, file: string, indices: number[]): Promise<Uint8Array[]> {
	const select = `select=${indices.map((i) => `eq(n\\,${i})`).join('+')}`;
	const { stdout } = await runFfmpeg(['-v', 'error', '-i', input, '-map', '0:v:0', '-vf', select, '-vsync', '0', '-f', 'image2pipe', '-c:v', 'png', 'pipe:1'], { file });
	const images = splitPngStream(new Uint8Array(stdout.buffer, stdout.byteOffset, stdout.length));
	if (images.length !== indices.length) {
		throw new MediaError(file, 'corrupt', `asked for ${indices.length} frames, ffmpeg decoded ${images.length}`);
	}
	return images;
}

/** The K frames sampled evenly over `total`, each made once (a short clip repeats frames) by `tensorsOf`. */
async function sampleFrames(total: number, options: VideoOptions, tensorsOf: (unique: number[]) => Promise<ImageTensor[]>): Promise<VideoFrames> {
	const indices = evenFrameIndices(total, options.frames ?? DEFAULT_VIDEO_FRAMES);
	const unique = [...new Set(indices)];
	const tensors = await tensorsOf(unique);
	const byIndex = new Map(unique.map((index, i) => [index, tensors[i]]));
	return { frames: indices.map((index) => byIndex.get(index) as ImageTensor), indices, sourceFrameCount: total };
}

/** The sampled frames of a clip whose every frame is decoded. */
function sampledFrames(decoded: RgbPixels[], file: string, options: VideoOptions): Promise<VideoFrames> {
	return sampleFrames(decoded.length, options, (unique) => Promise.all(unique.map((index) => pixelsTensor(decoded[index], `${file} (frame ${index})`, options))));
}

/**
 * Samples K frames evenly over a video and turns each into an image tensor like any other image
 * (the same resize and normalisation as a picture file).
 */
export async function loadVideoFrames(source: MediaSource, options: VideoOptions = {}): Promise<VideoFrames> {
	const file = sourceName(source);
	return withSourcePath(source, async (input) => {
		const decoded = await allFrames(input, file, options.onePassMaxBytes ?? ONE_PASS_MAX_BYTES);
		if (decoded) return sampledFrames(decoded, file, options);
		return sampleFrames(await countFrames(input, file), options, async (unique) =>
			Promise.all((await extractFrames(input, file, unique)).map((bytes, i) => loadImageTensor({ bytes, name: `${file} (frame ${unique[i]})` }, options)))
		);
	});
}

/** Most clips one ffmpeg run decodes: each takes a pipe of its own. */
export const CLIPS_PER_RUN = 16;

/**
 * Every frame of several short clips, one ffmpeg run for all (each clip written to a pipe of its own);
 * null when the run fails or its frames together pass maxBytes, so the caller reads each clip alone
 * and a bad one is named.
 */
export async function allFramesOfClips(files: readonly string[], maxBytes: number): Promise<RgbPixels[][] | null> {
	// One decoding thread per clip: the clips are the run's parallelism, and a frame-thread pool per
	// short clip costs more to start than it saves (8 demo clips: 28 ms against 42).
	const args = ['-v', 'error', ...files.flatMap((file) => ['-threads', '1', '-i', file])];
	files.forEach((_, i) => args.push('-map', `${i}:v:0`, '-vsync', '0', '-f', 'image2pipe', '-c:v', 'ppm', `pipe:${3 + i}`));
	// Any failure (a non-zero exit included) sends every clip back to be read alone.
	const run = await runFfmpeg(args, { file: files.join(', '), maxOutputBytes: maxBytes, pipes: files.length }).catch(() => null);
	if (!run || run.overflowed) return null;
	try {
		const clips = run.pipes.map((bytes) => splitPpmStream(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length)));
		return clips.every((frames) => frames.length > 0) ? clips : null;
	} catch {
		return null;
	}
}

/**
 * loadVideoFrames for several files at once: one ffmpeg run per CLIPS_PER_RUN clips instead of one
 * per clip, since starting ffmpeg is most of a short clip's cost (and from a server process holding
 * a model, 15-25 ms a start). Each result is what loadVideoFrames gives for that file, its error
 * included: when a run fails, its clips are read one by one.
 */
export async function loadVideoFramesOfClips(files: readonly string[], options: VideoOptions = {}): Promise<PromiseSettledResult<VideoFrames>[]> {
	const results: Promise<PromiseSettledResult<VideoFrames>[]>[] = [];
	for (let at = 0; at < files.length; at += CLIPS_PER_RUN) {
		const group = files.slice(at, at + CLIPS_PER_RUN);
		results.push(
			(async () => {
				const decoded = group.length > 1 ? await allFramesOfClips(group, options.onePassMaxBytes ?? ONE_PASS_MAX_BYTES) : null;
				return Promise.allSettled(group.map((file, i) => (decoded ? sampledFrames(decoded[i], file, options) : loadVideoFrames(file, options))));
			})()
		);
	}
	return (await Promise.all(results)).flat();
}
