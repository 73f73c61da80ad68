import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { samplingSchema } from '../../../shared/inference';
import { chatMessages, chatRequestBody } from './requestBody';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'endpoint-media-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string, bytes: number[]): string {
	const target = path.join(dir, name);
	fs.writeFileSync(target, Buffer.from([...bytes, 0, 0, 0, 0, 0, 0, 0, 0]));
	return target;
}
const png = file('a.png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const wav = file('a.wav', [...Buffer.from('RIFF\0\0\0\0WAVE')]);
const flac = file('a.flac', [...Buffer.from('fLaC')]);
const mp4 = file('a.mp4', [0, 0, 0, 0x18, ...Buffer.from('ftypisom')]);
const b64 = (f: string) => fs.readFileSync(f).toString('base64');

describe('chatMessages', () => {
	it('puts each tagged medium where its tag stands, as data URLs in the vLLM style', async () => {
		const messages = await chatMessages(
			[
				{ role: 'system', content: 'Be brief.' },
				{ role: 'user', content: '<image>What is this? <audio> and <video>' }
			],
			[
				{ kind: 'image', file: png },
				{ kind: 'audio', file: wav },
				{ kind: 'video', file: mp4 }
			],
			'vllm',
			'e'
		);
		expect(messages[0]).toEqual({ role: 'system', content: 'Be brief.' });
		expect(messages[1].content).toEqual([
			{ type: 'image_url', image_url: { url: `data:image/png;base64,${b64(png)}` } },
			{ type: 'text', text: 'What is this? ' },
			{ type: 'audio_url', audio_url: { url: `data:audio/wav;base64,${b64(wav)}` } },
			{ type: 'text', text: ' and ' },
			{ type: 'video_url', video_url: { url: `data:video/mp4;base64,${b64(mp4)}` } }
		]);
	});

	it("sends audio as OpenAI's input_audio and refuses what that style cannot carry", async () => {
		const messages = await chatMessages([{ role: 'user', content: '<audio>Transcribe' }], [{ kind: 'audio', file: wav }], 'openai', 'e');
		expect(messages[0].content).toEqual([
			{ type: 'input_audio', input_audio: { data: b64(wav), format: 'wav' } },
			{ type: 'text', text: 'Transcribe' }
		]);
		await expect(chatMessages([{ role: 'user', content: '<audio>x' }], [{ kind: 'audio', file: flac }], 'openai', 'e')).rejects.toThrow(/WAV or MP3 only; this attachment is FLAC/);
		await expect(chatMessages([{ role: 'user', content: '<video>x' }], [{ kind: 'video', file: mp4 }], 'openai', 'e')).rejects.toThrow(/carry no video/);
	});

	it('puts media no tag claims ahead of the last user turn', async () => {
		const messages = await chatMessages([{ role: 'user', content: 'Describe' }], [{ kind: 'image', file: png }], 'vllm', 'e');
		expect(messages[0].content).toEqual([
			{ type: 'image_url', image_url: { url: `data:image/png;base64,${b64(png)}` } },
			{ type: 'text', text: 'Describe' }
		]);
	});
});

describe('chatRequestBody', () => {
	it("sends vLLM's extra sampling fields only in the vLLM style", () => {
		const sampling = samplingSchema.parse({ max_new_tokens: 9, temperature: 0, stop: ['\n'] });
		expect(chatRequestBody('m', [], sampling, 'vllm')).toEqual({ model: 'm', messages: [], max_tokens: 9, temperature: 0, top_p: 0.7, top_k: 20, repetition_penalty: 1.05, stop: ['\n'] });
		expect(chatRequestBody('m', [], sampling, 'openai')).toEqual({ model: 'm', messages: [], max_tokens: 9, temperature: 0, top_p: 0.7, stop: ['\n'] });
		expect(chatRequestBody('m', [], { ...sampling, ignore_eos: true }, 'vllm')).toMatchObject({ ignore_eos: true });
		expect(chatRequestBody('m', [], { ...sampling, ignore_eos: true }, 'openai')).not.toHaveProperty('ignore_eos');
	});
});
