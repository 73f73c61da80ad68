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
		maxStdoutBytes: maxBytes
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

/**
 * Samples K frames evenly over a video and turns each into an image tensor like any other image
 * (the same resize and normalisation as a picture file).
 */
export async function loadVideoFrames(source: MediaSource, options: VideoOptions = {}): Promise<VideoFrames> {
	const file = sourceName(source);
	const count = options.frames ?? DEFAULT_VIDEO_FRAMES;
	return withSourcePath(source, async (input) => {
		const decoded = await allFrames(input, file, options.onePassMaxBytes ?? ONE_PASS_MAX_BYTES);
		const total = decoded ? decoded.length : await countFrames(input, file);
		const indices = evenFrameIndices(total, count);
		const unique = [...new Set(indices)];
		const tensors = decoded
			? await Promise.all(unique.map((index) => pixelsTensor(decoded[index], `${file} (frame ${index})`, options)))
			: await Promise.all((await extractFrames(input, file, unique)).map((bytes, i) => loadImageTensor({ bytes, name: `${file} (frame ${unique[i]})` }, options)));
		const byIndex = new Map(unique.map((index, i) => [index, tensors[i]]));
		return { frames: indices.map((index) => byIndex.get(index) as ImageTensor), indices, sourceFrameCount: total };
	});
}
