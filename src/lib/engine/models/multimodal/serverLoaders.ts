// The media loaders a device worker uses: the server's sharp image loader (letterboxed, [-1, 1]),
// WAV / ffmpeg audio to Whisper-style log-mel, and ffmpeg frame sampling for video.

import { loadAudioFeatures, loadImageTensor, loadVideoFrames } from '../../../server/media/index';
import type { MediaLoaders } from './mediaPipeline';

export const serverMediaLoaders: MediaLoaders = {
	image: async (path, size) => (await loadImageTensor(path, { size, policy: 'letterbox' })).data,
	audio: (path) => loadAudioFeatures(path),
	video: async (path, frames, size) => (await loadVideoFrames(path, { frames, size, policy: 'letterbox' })).frames.map((f) => f.data)
};
