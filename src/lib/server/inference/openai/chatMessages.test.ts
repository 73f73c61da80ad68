import { describe, expect, it } from 'vitest';
import { toChatTurns } from './chatMessages';
import { OpenAIError } from './openaiError';
import { parseChatCompletionRequest } from './chatCompletion';

/** Just enough of each format for the magic-number sniffer. */
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(24, 1)]);
const wav = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WAVEfmt '), Buffer.alloc(20, 2)]);
const mp3 = Buffer.concat([Buffer.from('ID3'), Buffer.alloc(29, 3)]);
const mp4 = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypisom'), Buffer.alloc(20, 4)]);
const dataUrl = (mime: string, bytes: Buffer) => `data:${mime};base64,${bytes.toString('base64')}`;

const MiB = 1024 * 1024;

function parse(body: Record<string, unknown>, maxBytes = MiB) {
	return toChatTurns(parseChatCompletionRequest({ model: 'm', ...body }), maxBytes);
}

function refusal(run: () => unknown): OpenAIError {
	try {
		run();
	} catch (error) {
		if (error instanceof OpenAIError) return error;
		throw error;
	}
	throw new Error('expected a refusal');
}

const user = (content: unknown) => ({ messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content }] });

describe('content parts become tags and media, in order', () => {
	it('every kind of part', () => {
		const { turns, media } = parse(
			user([
				{ type: 'text', text: 'Look: ' },
				{ type: 'image_url', image_url: { url: dataUrl('image/png', png), detail: 'low' } },
				{ type: 'input_audio', input_audio: { data: wav.toString('base64'), format: 'wav' } },
				{ type: 'audio_url', audio_url: { url: dataUrl('audio/mpeg', mp3) } },
				{ type: 'video_url', video_url: { url: dataUrl('video/mp4', mp4) } },
				{ type: 'image', image: png.toString('base64') },
				{ type: 'text', text: ' what is it?' }
			])
		);
		expect(turns).toEqual([
			{ role: 'system', content: 'Be brief.' },
			{ role: 'user', content: 'Look: <image><audio><audio><video><image> what is it?' }
		]);
		expect(media.map((m) => [m.kind, 'ext' in m ? m.ext : null, m.param])).toEqual([
			['image', 'png', 'messages[1].content[1].image_url.url'],
			['audio', 'wav', 'messages[1].content[2].input_audio.data'],
			['audio', 'mp3', 'messages[1].content[3].audio_url.url'],
			['video', 'mp4', 'messages[1].content[4].video_url.url'],
			['image', 'png', 'messages[1].content[5].image']
		]);
		expect('bytes' in media[0] && media[0].bytes.equals(png)).toBe(true);
	});

	it('an uploaded media id is kept as an id, to be resolved for its owner', () => {
		const { media } = parse(user([{ type: 'image_url', image_url: { url: 'swiftboard-upload:abc_DEF-1' } }]));
		expect(media).toEqual([{ kind: 'image', param: 'messages[1].content[0].image_url.url', uploadId: 'abc_DEF-1' }]);
	});

	it('a bare string image_url is read like {url}', () => {
		expect(parse(user([{ type: 'image_url', image_url: dataUrl('image/png', png) }])).media).toHaveLength(1);
	});

	it("ms-swift's top-level lists fill the tags written in the text", () => {
		const { turns, media } = parse({
			messages: [{ role: 'user', content: '<image>Which colour? <audio>' }],
			images: [dataUrl('image/png', png)],
			audios: [wav.toString('base64')]
		});
		expect(turns[0].content).toBe('<image>Which colour? <audio>');
		expect(media.map((m) => [m.kind, m.param])).toEqual([
			['image', 'images[0]'],
			['audio', 'audios[0]']
		]);
	});

	it('lists and tags must agree in number', () => {
		expect(refusal(() => parse({ messages: [{ role: 'user', content: 'hi' }], videos: [mp4.toString('base64')] })).param).toBe('videos');
		const short = refusal(() => parse({ messages: [{ role: 'user', content: '<image><image>' }], images: [dataUrl('image/png', png)] }));
		expect(short.param).toBe('messages[0].content');
		expect(short.message).toContain('more <image> tags');
	});
});

describe('URLs and paths are refused, naming the part', () => {
	it.each([
		['http://127.0.0.1:9/cat.png', 'a http: URL'],
		['https://example.com/cat.png', 'a https: URL'],
		['file:///etc/passwd', 'a file: URL'],
		['/etc/passwd', 'a file path'],
		['../secrets/cat.png', 'a file path'],
		['cat.png', 'neither a data URL nor base64 media']
	])('%s', (url, what) => {
		const error = refusal(() => parse(user([{ type: 'text', text: 'x' }, { type: 'image_url', image_url: { url } }])));
		expect(error.status).toBe(400);
		expect(error.type).toBe('invalid_request_error');
		expect(error.param).toBe('messages[1].content[1].image_url.url');
		expect(error.message).toContain(`messages[1].content[1].image_url.url is ${what}`);
	});

	it('in every place a value is taken', () => {
		expect(refusal(() => parse(user([{ type: 'video_url', video_url: { url: 'https://x/v.mp4' } }]))).param).toBe('messages[1].content[0].video_url.url');
		expect(refusal(() => parse(user([{ type: 'audio', audio: '/tmp/a.wav' }]))).param).toBe('messages[1].content[0].audio');
		expect(refusal(() => parse({ messages: [{ role: 'user', content: '<image>' }], images: ['/root/x.png'] })).param).toBe('images[0]');
	});

	it('base64 that is not media of the right kind', () => {
		const text = refusal(() => parse(user([{ type: 'image_url', image_url: { url: dataUrl('image/png', Buffer.from('hello world!')) } }])));
		expect(text.message).toContain('not a media file');
		const wrongKind = refusal(() => parse(user([{ type: 'video_url', video_url: { url: dataUrl('video/mp4', png) } }])));
		expect(wrongKind.message).toContain('is a PNG image; a video must be');
		const mime = refusal(() => parse(user([{ type: 'image_url', image_url: { url: dataUrl('audio/wav', wav) } }])));
		expect(mime.message).toContain('data URL of type audio/wav');
		const notBase64 = refusal(() => parse(user([{ type: 'input_audio', input_audio: { data: 'not base64!', format: 'mp3' } }])));
		expect(notBase64.param).toBe('messages[1].content[0].input_audio.data');
	});
});

describe('size limits', () => {
	it('a decoded item past the limit is refused with 413 before it is decoded', () => {
		const big = Buffer.concat([png, Buffer.alloc(2048)]);
		const error = refusal(() => parse(user([{ type: 'image_url', image_url: { url: dataUrl('image/png', big) } }]), 1024));
		expect(error.status).toBe(413);
		expect(error.code).toBe('media_too_large');
		expect(error.param).toBe('messages[1].content[0].image_url.url');
		expect(error.message).toContain('SWIFTBOARD_API_MEDIA_MB');
		expect(parse(user([{ type: 'image_url', image_url: { url: dataUrl('image/png', big) } }]), 4096).media).toHaveLength(1);
	});
});

describe('request validation', () => {
	it('names the invalid field the way OpenAI names params', () => {
		const part = refusal(() => parseChatCompletionRequest({ model: 'm', messages: [{ role: 'user', content: [{ type: 'file', file: {} }] }] }));
		expect(part.param).toBe('messages[0].content[0].type');
		expect(refusal(() => parseChatCompletionRequest({ model: 'm', messages: [{ role: 'user', content: 'x' }], n: 2 })).param).toBe('n');
		expect(refusal(() => parseChatCompletionRequest({ model: 'm', messages: [] })).param).toBe('messages');
		expect(refusal(() => parseChatCompletionRequest({ messages: [{ role: 'user', content: 'x' }] })).param).toBe('model');
		expect(refusal(() => parseChatCompletionRequest({ model: 'm', messages: [{ role: 'user', content: 'x' }], temperature: 3 })).param).toBe('temperature');
		const audio = refusal(() =>
			parseChatCompletionRequest({ model: 'm', messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'AAAA', format: 'ogg' } }] }] })
		);
		expect(audio.param).toBe('messages[0].content[0].input_audio.format');
	});

	it('takes OpenAI clients’ extra fields and the developer role', () => {
		const request = parseChatCompletionRequest({ model: 'm', user: 'u1', n: 1, messages: [{ role: 'developer', content: 'x' }, { role: 'assistant', content: null }] });
		expect(request.messages.map((m) => [m.role, m.content])).toEqual([
			['system', 'x'],
			['assistant', '']
		]);
	});
});
