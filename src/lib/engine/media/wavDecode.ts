import { MediaError } from './mediaError';

/** Decoded PCM audio: one Float32Array per channel, samples in [-1, 1]. */
export interface PcmAudio {
	sampleRate: number;
	channels: Float32Array[];
}

const FORMAT_PCM = 1;
const FORMAT_FLOAT = 3;
const FORMAT_EXTENSIBLE = 0xfffe;

function ascii(bytes: Uint8Array, at: number): string {
	return String.fromCharCode(bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]);
}

interface WavFormat {
	format: number;
	channels: number;
	sampleRate: number;
	bitsPerSample: number;
	blockAlign: number;
}

function readFormat(view: DataView, at: number, size: number, file: string): WavFormat {
	if (size < 16) throw new MediaError(file, 'corrupt', 'WAV "fmt " chunk is shorter than 16 bytes');
	let format = view.getUint16(at, true);
	// WAVE_FORMAT_EXTENSIBLE keeps the real format code in the first two bytes of the sub-format GUID.
	if (format === FORMAT_EXTENSIBLE && size >= 26) format = view.getUint16(at + 24, true);
	return {
		format,
		channels: view.getUint16(at + 2, true),
		sampleRate: view.getUint32(at + 4, true),
		blockAlign: view.getUint16(at + 12, true),
		bitsPerSample: view.getUint16(at + 14, true)
	};
}

/** Returns a reader for one sample at a byte offset, scaled to [-1, 1]. */
function sampleReader(view: DataView, fmt: WavFormat, file: string): (at: number) => number {
	const { format, bitsPerSample: bits } = fmt;
	if (format === FORMAT_FLOAT && bits === 32) return (at) => view.getFloat32(at, true);
	if (format === FORMAT_FLOAT && bits === 64) return (at) => view.getFloat64(at, true);
	if (format === FORMAT_PCM) {
		// 8-bit WAV is unsigned with a 128 midpoint; wider sizes are signed two's complement.
		if (bits === 8) return (at) => (view.getUint8(at) - 128) / 128;
		if (bits === 16) return (at) => view.getInt16(at, true) / 32768;
		if (bits === 24) {
			return (at) => {
				const value = view.getUint8(at) | (view.getUint8(at + 1) << 8) | (view.getInt8(at + 2) << 16);
				return value / 8388608;
			};
		}
		if (bits === 32) return (at) => view.getInt32(at, true) / 2147483648;
	}
	throw new MediaError(file, 'unsupported', `WAV format ${format} with ${bits} bits per sample is not supported (use PCM 8/16/24/32-bit or 32/64-bit float)`);
}

/**
 * Decodes a RIFF/WAVE file. A data chunk whose declared size runs past the end (as written by
 * encoders streaming to a pipe, which cannot seek back to fill the size in) is read up to the end.
 */
export function decodeWav(bytes: Uint8Array, file: string): PcmAudio {
	if (bytes.length < 12 || ascii(bytes, 0) !== 'RIFF' || ascii(bytes, 8) !== 'WAVE') {
		throw new MediaError(file, 'corrupt', 'not a WAV file (missing RIFF/WAVE header)');
	}
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	let fmt: WavFormat | null = null;
	let at = 12;
	while (at + 8 <= bytes.length) {
		const id = ascii(bytes, at);
		const size = view.getUint32(at + 4, true);
		const body = at + 8;
		if (id === 'fmt ') {
			if (body + 16 > bytes.length) break;
			fmt = readFormat(view, body, size, file);
		} else if (id === 'data') {
			if (!fmt) throw new MediaError(file, 'corrupt', 'WAV "data" chunk comes before the "fmt " chunk');
			const end = Math.min(bytes.length, body + size);
			return readSamples(view, fmt, body, end, file);
		}
		// Chunks are padded to an even length.
		at = body + size + (size & 1);
	}
	throw new MediaError(file, 'corrupt', fmt ? 'WAV file has no "data" chunk' : 'WAV file has no "fmt " chunk');
}

function readSamples(view: DataView, fmt: WavFormat, start: number, end: number, file: string): PcmAudio {
	if (fmt.channels < 1) throw new MediaError(file, 'corrupt', 'WAV declares zero channels');
	if (fmt.sampleRate < 1) throw new MediaError(file, 'corrupt', 'WAV declares a zero sample rate');
	const read = sampleReader(view, fmt, file);
	const bytesPerSample = fmt.bitsPerSample / 8;
	const blockAlign = fmt.blockAlign || bytesPerSample * fmt.channels;
	if (!Number.isInteger(bytesPerSample) || blockAlign < bytesPerSample * fmt.channels) {
		throw new MediaError(file, 'corrupt', `WAV block size ${blockAlign} does not fit ${fmt.channels} channels of ${fmt.bitsPerSample} bits`);
	}
	const frames = Math.floor((end - start) / blockAlign);
	const channels = Array.from({ length: fmt.channels }, () => new Float32Array(frames));
	for (let i = 0; i < frames; i++) {
		const frameAt = start + i * blockAlign;
		for (let c = 0; c < fmt.channels; c++) channels[c][i] = read(frameAt + c * bytesPerSample);
	}
	return { sampleRate: fmt.sampleRate, channels };
}
