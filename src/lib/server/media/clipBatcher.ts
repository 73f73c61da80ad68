import { loadVideoFramesOfClips, type VideoFrames, type VideoOptions } from './video';

interface Waiting {
	resolve: (frames: VideoFrames) => void;
	reject: (error: unknown) => void;
}

/**
 * Video files asked for during one turn of the event loop, decoded together by
 * loadVideoFramesOfClips (one ffmpeg run for many clips). Code that prepares many samples at once
 * asks for their media one file at a time in the same turn (Promise.all over a batch of rows), so
 * gathering a turn's requests is what lets them share a run; a lone request waits one turn longer.
 */
export class VideoClipBatcher {
	/** Files asked for this turn, by decode options, each with whoever waits for it. */
	private pending = new Map<string, { options: VideoOptions; files: Map<string, Waiting[]> }>();

	load(file: string, options: VideoOptions): Promise<VideoFrames> {
		const key = JSON.stringify(options);
		if (this.pending.size === 0) setImmediate(() => this.flush());
		let group = this.pending.get(key);
		if (!group) this.pending.set(key, (group = { options, files: new Map() }));
		const waiting = group.files.get(file) ?? [];
		group.files.set(file, waiting);
		return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
	}

	private flush(): void {
		const groups = [...this.pending.values()];
		this.pending = new Map();
		for (const { options, files } of groups) {
			const names = [...files.keys()];
			const waiters = (i: number) => files.get(names[i]) ?? [];
			loadVideoFramesOfClips(names, options).then(
				(results) =>
					results.forEach((result, i) => {
						for (const w of waiters(i)) {
							if (result.status === 'fulfilled') w.resolve(result.value);
							else w.reject(result.reason);
						}
					}),
				(error: unknown) => names.forEach((_, i) => waiters(i).forEach((w) => w.reject(error)))
			);
		}
	}
}
