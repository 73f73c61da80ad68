import { MediaError } from '../../engine/media/mediaError';
import { evenFrameIndices } from '../../engine/media/frameSampling';
import { runFfmpeg } from './ffmpeg';
import { loadImageTensor, type ImageOptions, type ImageTensor } from './image';
import { sourceName, withSourcePath, type MediaSource } from './mediaSource';
import { splitPngStream } from './pngStream';

export interface VideoOptions extends ImageOptions {
	/** Frames to sample evenly over the clip; 8 by default. */
	frames?: number;
}

export interface VideoFrames {
	/** Exactly `frames` tensors in time order (repeated when the clip is shorter). */
	frames: ImageTensor[];
	/** Index of each sampled frame in the decoded stream. */
	indices: number[];
	sourceFrameCount: number;
}

export const DEFAULT_VIDEO_FRAMES = 8;

/** Counts the frames of the first video stream by remuxing it to nowhere, which decodes nothing. */
async function countFrames(input: string, file: string): Promise<number> {
	const { stderr } = await runFfmpeg(['-i', input, '-map', '0:v:0', '-c', 'copy', '-f', 'null', '-'], { file, allowFailure: true });
	if (/No such file or directory|Permission denied/i.test(stderr)) throw new MediaError(file, 'corrupt', 'cannot read file');
	if (/matches no streams|does not contain any stream/i.test(stderr)) throw new MediaError(file, 'unsupported', 'no video stream found');
	if (/Invalid data found|could not find codec|moov atom not found/i.test(stderr)) {
		throw new MediaError(file, 'corrupt', 'cannot decode video: ffmpeg does not recognise the data');
	}
	const counts = [...stderr.matchAll(/frame=\s*(\d+)/g)];
	const count = counts.length ? Number(counts[counts.length - 1][1]) : 0;
	if (count < 1) throw new MediaError(file, 'corrupt', 'video has no frames');
	return count;
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

/** Samples K frames evenly over a video and turns each into an image tensor like any other image. */
export async function loadVideoFrames(source: MediaSource, options: VideoOptions = {}): Promise<VideoFrames> {
	const file = sourceName(source);
	const count = options.frames ?? DEFAULT_VIDEO_FRAMES;
	return withSourcePath(source, async (input) => {
		const total = await countFrames(input, file);
		const indices = evenFrameIndices(total, count);
		const unique = [...new Set(indices)];
		const images = await extractFrames(input, file, unique);
		const tensors = await Promise.all(images.map((bytes, i) => loadImageTensor({ bytes, name: `${file} (frame ${unique[i]})` }, options)));
		const byIndex = new Map(unique.map((index, i) => [index, tensors[i]]));
		return { frames: indices.map((index) => byIndex.get(index) as ImageTensor), indices, sourceFrameCount: total };
	});
}
