// The media loaders the built-in engine's multimodal runs are handed (the engine decodes no files
// itself): sharp images letterboxed to [-1, 1], WAV / ffmpeg audio to Whisper-style log-mel, and
// ffmpeg frame sampling for video.

import type { MediaLoaders } from '../../engine/models/multimodal/mediaPipeline';
import { loadAudioFeatures } from './audio';
import { loadImageTensor } from './image';
import { loadVideoFrames } from './video';

export const engineMediaLoaders: MediaLoaders = {
	image: async (path, size) => (await loadImageTensor(path, { size, policy: 'letterbox' })).data,
	audio: (path) => loadAudioFeatures(path),
	video: async (path, frames, size) => (await loadVideoFrames(path, { frames, size, policy: 'letterbox' })).frames.map((f) => f.data)
};
