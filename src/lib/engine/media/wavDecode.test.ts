import { describe, expect, it } from 'vitest';
import { decodeWav } from './wavDecode';
import { encodeWav16 } from './wavEncode';
import { MediaError } from './mediaError';

/** Builds a WAV file around raw sample bytes, with an extra chunk before "data" as real files have. */
function wavBytes(format: number, channels: number, sampleRate: number, bits: number, data: number[]): Uint8Array {
	const list = [0x4c, 0x49, 0x53, 0x54, 3, 0, 0, 0, 1, 2, 3, 0]; // "LIST", odd size, padded
	const header: number[] = [];
	const u16 = (v: number) => header.push(v & 255, (v >> 8) & 255);
	const u32 = (v: number) => header.push(v & 255, (v >> 8) & 255, (v >> 16) & 255, (v >>> 24) & 255);
	const text = (s: string) => header.push(...[...s].map((c) => c.charCodeAt(0)));
	const blockAlign = (channels * bits) / 8;
	text('RIFF');
	u32(4 + 24 + list.length + 8 + data.length);
	text('WAVE');
	text('fmt ');
	u32(16);
	u16(format);
	u16(channels);
	u32(sampleRate);
	u32(sampleRate * blockAlign);
	u16(blockAlign);
	u16(bits);
	header.push(...list);
	text('data');
	u32(data.length);
	return Uint8Array.from([...header, ...data]);
}

function float32Bytes(values: number[]): number[] {
	return [...new Uint8Array(Float32Array.from(values).buffer)];
}

describe('decodeWav', () => {
	it('decodes 8-bit unsigned PCM', () => {
		const { sampleRate, channels } = decodeWav(wavBytes(1, 1, 8000, 8, [0, 128, 255, 64]), 'a.wav');
		expect(sampleRate).toBe(8000);
		expect([...channels[0]]).toEqual([-1, 0, 127 / 128, -0.5]);
	});

	it('decodes 16-bit stereo PCM into two channels', () => {
		// Frames: (L=0x4000, R=-0x8000), (L=-1, R=0x7fff)
		const data = [0x00, 0x40, 0x00, 0x80, 0xff, 0xff, 0xff, 0x7f];
		const { sampleRate, channels } = decodeWav(wavBytes(1, 2, 44100, 16, data), 'b.wav');
		expect(sampleRate).toBe(44100);
		expect([...channels[0]]).toEqual([0.5, -1 / 32768]);
		expect([...channels[1]]).toEqual([-1, 32767 / 32768]);
	});

	it('decodes 24-bit PCM with sign extension', () => {
		const data = [0x00, 0x00, 0x40, 0xff, 0xff, 0xff, 0x00, 0x00, 0x80];
		const { channels } = decodeWav(wavBytes(1, 1, 16000, 24, data), 'c.wav');
		expect([...channels[0]]).toEqual([0.5, -1 / 8388608, -1]);
	});

	it('decodes 32-bit integer PCM', () => {
		const data = [0x00, 0x00, 0x00, 0xc0, 0x00, 0x00, 0x00, 0x20];
		const { channels } = decodeWav(wavBytes(1, 1, 22050, 32, data), 'd.wav');
		expect([...channels[0]]).toEqual([-0.5, 0.25]);
	});

	it('decodes 32-bit float', () => {
		const { channels } = decodeWav(wavBytes(3, 1, 48000, 32, float32Bytes([0.25, -0.75, 1])), 'e.wav');
		expect([...channels[0]]).toEqual([0.25, -0.75, 1]);
	});

	it('reads a data chunk whose declared size overruns the file (streamed WAV)', () => {
		const bytes = wavBytes(1, 1, 16000, 16, [0x00, 0x40, 0x00, 0xc0]);
		new DataView(bytes.buffer).setUint32(bytes.length - 8, 0xffffffff, true);
		expect([...decodeWav(bytes, 'f.wav').channels[0]]).toEqual([0.5, -0.5]);
	});

	// The encoder scales by 32767 so +1 does not overflow; the decoder divides by 32768 like most readers.
	it('round-trips encodeWav16 within two quantisation steps', () => {
		const samples = Float32Array.from([0, 0.5, -0.5, 0.999, -1]);
		const decoded = decodeWav(encodeWav16(samples, 16000), 'g.wav');
		expect(decoded.sampleRate).toBe(16000);
		decoded.channels[0].forEach((v, i) => expect(Math.abs(v - samples[i])).toBeLessThan(2 / 32767));
	});

	it('names the file when the header is wrong or the format unsupported', () => {
		expect(() => decodeWav(new TextEncoder().encode('not a wav file at all'), 'clips/bad.wav')).toThrow(/clips\/bad\.wav: not a WAV/);
		expect(() => decodeWav(wavBytes(2, 1, 8000, 4, [1, 2]), 'adpcm.wav')).toThrow(MediaError);
		expect(() => decodeWav(wavBytes(2, 1, 8000, 4, [1, 2]), 'adpcm.wav')).toThrow(/adpcm\.wav: WAV format 2/);
		expect(() => decodeWav(wavBytes(1, 1, 8000, 16, []).subarray(0, 30), 'cut.wav')).toThrow(/cut\.wav/);
	});
});
