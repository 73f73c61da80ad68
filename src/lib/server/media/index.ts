export { MediaError, type MediaErrorKind } from '../../engine/media/mediaError';
export { type MediaSource } from './mediaSource';
export { loadImageTensor, DEFAULT_IMAGE_SIZE, type ImageOptions, type ImageTensor, type ResizePolicy } from './image';
export { decodeAudio, loadAudio, loadAudioFeatures, AUDIO_SAMPLE_RATE, type AudioOptions } from './audio';
export { loadVideoFrames, loadVideoFramesOfClips, DEFAULT_VIDEO_FRAMES, type VideoOptions, type VideoFrames } from './video';
export { VideoClipBatcher } from './clipBatcher';
export { ffmpegPath, runFfmpeg } from './ffmpeg';
