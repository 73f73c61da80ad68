import { describe, expect, it } from 'vitest';
import { sniffMedia } from './mediaSniff';
import { JPEG_BYTES, mp4Bytes, PNG_BYTES, wavBytes } from './testFixtures';

function riff(form: string): Buffer {
	return Buffer.from(`RIFF\0\0\0\0${form}`, 'latin1');
}

describe('sniffMedia', () => {
	it.each([
		['png', PNG_BYTES, ['image']],
		['jpg', JPEG_BYTES, ['image']],
		['gif', Buffer.from('GIF89a\x01\x00', 'latin1'), ['image']],
		['webp', riff('WEBP'), ['image']],
		['bmp', Buffer.from('BM\x00\x00\x00\x00', 'latin1'), ['image']],
		['wav', wavBytes(), ['audio']],
		['mp3', Buffer.from('ID3\x04\x00', 'latin1'), ['audio']],
		['mp3', Buffer.from([0xff, 0xfb, 0x90, 0x00]), ['audio']],
		['ogg', Buffer.from('OggS\x00', 'latin1'), ['audio']],
		['flac', Buffer.from('fLaC\x00', 'latin1'), ['audio']],
		['m4a', mp4Bytes('M4A '), ['audio']],
		['webm', Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x01]), ['audio', 'video']],
		['mp4', mp4Bytes('isom'), ['video']],
		['mov', mp4Bytes('qt  '), ['video']],
		['avi', riff('AVI '), ['video']]
	])('recognises %s', (ext, bytes, kinds) => {
		expect(sniffMedia(bytes)).toMatchObject({ ext, kinds });
	});

	it('recognises nothing in plain text', () => {
		expect(sniffMedia(Buffer.from('hello world, not media'))).toBeNull();
	});
});
