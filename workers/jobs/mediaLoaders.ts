// The media loaders the built-in engine decodes training and prompt media with: sharp for pictures
// (letterboxed, [-1, 1]), WAV / ffmpeg audio to Whisper-style log-mel, ffmpeg frame sampling for
// video (the clips asked for in one turn decoded in one ffmpeg run). They live with the job runners
// because the engine imports no server code: a runner hands them to the engine as an argument.

import type { MediaLoaders } from '../../src/lib/engine/models/multimodal/mediaPipeline';
import { loadAudioFeatures, loadImageTensor, VideoClipBatcher } from '../../src/lib/server/media/index';

const clips = new VideoClipBatcher();

export const mediaLoaders: MediaLoaders = {
	image: async (path, size) => (await loadImageTensor(path, { size, policy: 'letterbox' })).data,
	audio: (path) => loadAudioFeatures(path),
	video: async (path, frames, size) => (await clips.load(path, { frames, size, policy: 'letterbox' })).frames.map((f) => f.data)
};
