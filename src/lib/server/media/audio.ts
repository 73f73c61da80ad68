import { MediaError } from '../../engine/media/mediaError';
import { decodeWav, type PcmAudio } from '../../engine/media/wavDecode';
import { downmixToMono } from '../../engine/media/downmix';
import { resample } from '../../engine/media/resample';
import { logMelSpectrogram, type LogMel, type LogMelOptions } from '../../engine/media/logMel';
import { runFfmpeg } from './ffmpeg';
import { readSource, sourceName, withSourcePath, type MediaSource } from './mediaSource';

/** Audio towers take 16 kHz mono, as Whisper does. */
export const AUDIO_SAMPLE_RATE = 16000;

function isWav(bytes: Uint8Array): boolean {
	const tag = (at: number) => String.fromCharCode(bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]);
	return bytes.length >= 12 && tag(0) === 'RIFF' && tag(8) === 'WAVE';
}

/** Anything ffmpeg can read (mp3, ogg, webm, m4a, flac, compressed WAV), as 32-bit float WAV on a pipe. */
async function decodeWithFfmpeg(source: MediaSource): Promise<PcmAudio> {
	const file = sourceName(source);
	const { stdout } = await withSourcePath(source, (input) =>
		runFfmpeg(['-v', 'error', '-i', input, '-map', '0:a:0', '-vn', '-f', 'wav', '-acodec', 'pcm_f32le', 'pipe:1'], { file })
	);
	if (stdout.length === 0) throw new MediaError(file, 'unsupported', 'no audio stream found');
	return decodeWav(new Uint8Array(stdout.buffer, stdout.byteOffset, stdout.length), file);
}

/** Decodes a file to PCM: plain WAV natively, everything else through the packaged ffmpeg. */
export async function decodeAudio(source: MediaSource): Promise<PcmAudio> {
	const bytes = await readSource(source);
	if (isWav(bytes)) {
		try {
			return decodeWav(bytes, sourceName(source));
		} catch (error) {
			// ADPCM, A-law and the like are valid WAV that ffmpeg can still decode.
			if (!(error instanceof MediaError && error.kind === 'unsupported')) throw error;
		}
	}
	return decodeWithFfmpeg(typeof source === 'string' ? source : { bytes, name: source.name });
}

export interface AudioOptions {
	/** Keep at most this many seconds from the start (Whisper-style towers take 30 s). */
	maxSeconds?: number;
}

/** Mono float samples at 16 kHz. */
export async function loadAudio(source: MediaSource, options: AudioOptions = {}): Promise<Float32Array> {
	const pcm = await decodeAudio(source);
	const mono = downmixToMono(pcm.channels);
	const resampled = resample(mono, pcm.sampleRate, AUDIO_SAMPLE_RATE);
	if (resampled.length === 0) throw new MediaError(sourceName(source), 'corrupt', 'audio has no samples');
	return options.maxSeconds === undefined ? resampled : resampled.subarray(0, Math.round(options.maxSeconds * AUDIO_SAMPLE_RATE));
}

/** Log-mel features [nMels, nFrames] with Whisper's conventions (see logMel.ts). */
export async function loadAudioFeatures(source: MediaSource, options: AudioOptions & Omit<LogMelOptions, 'sampleRate'> = {}): Promise<LogMel> {
	const samples = await loadAudio(source, options);
	return logMelSpectrogram(samples, { ...options, sampleRate: AUDIO_SAMPLE_RATE });
}
