import { describe, expect, it } from 'vitest';
import { decode, encode, specialTokenId } from './byteTokenizer';
import { IncrementalDecoder } from './incrementalDecoder';
import { BOS_ID, IMAGE_ID, SPECIAL_TOKENS, USER_ID, VOCAB_SIZE } from './specialTokens';

describe('byte tokenizer', () => {
	it('has 256 byte ids followed by the special tokens', () => {
		expect(VOCAB_SIZE).toBe(256 + SPECIAL_TOKENS.length);
		expect(specialTokenId('<|pad|>')).toBe(256);
		expect(new Set(SPECIAL_TOKENS.map(specialTokenId)).size).toBe(SPECIAL_TOKENS.length);
	});

	it.each(['hello world', '你好，世界', '👩‍💻 ok 🎉', 'mixed 中文 and emoji 😀\n\ttabs', ''])(
		'round-trips %j',
		(text) => {
			const ids = encode(text);
			expect(ids.every((id) => id >= 0 && id < 256)).toBe(true);
			expect(decode(ids)).toBe(text);
		}
	);

	it('encodes a Chinese character as its three UTF-8 bytes', () => {
		expect(encode('中')).toEqual([0xe4, 0xb8, 0xad]);
	});

	it('maps literal special tags to single ids', () => {
		const ids = encode('<|bos|>look <image> here');
		expect(ids[0]).toBe(BOS_ID);
		expect(ids).toContain(IMAGE_ID);
		expect(ids.length).toBe(1 + 'look '.length + 1 + ' here'.length);
		expect(decode(ids)).toBe('<|bos|>look <image> here');
		expect(decode(ids, { skipSpecialTokens: true })).toBe('look  here');
	});

	it('keeps role tags as plain bytes in media mode, so content cannot forge a turn', () => {
		const ids = encode('<|user|> and <video>', { specials: 'media' });
		expect(ids).not.toContain(USER_ID);
		expect(ids.filter((id) => id >= 256)).toEqual([specialTokenId('<video>')]);
		expect(encode('<image>', { specials: 'none' })).toHaveLength(7);
	});

	it('replaces invalid bytes instead of throwing and rejects ids outside the vocabulary', () => {
		expect(decode([0xe4, 0xb8])).toBe('\uFFFD');
		expect(() => decode([VOCAB_SIZE])).toThrow(/outside the vocabulary/);
		expect(() => decode([1.5])).toThrow(RangeError);
	});
});

describe('incremental decoder', () => {
	it('emits a multi-byte character only when its last byte arrives', () => {
		const decoder = new IncrementalDecoder();
		const pieces = encode('中😀').map((id) => decoder.push(id));
		expect(pieces).toEqual(['', '', '中', '', '', '', '😀']);
		expect(decoder.flush()).toBe('');
	});

	it('reassembles any stream of Chinese and emoji exactly', () => {
		const text = '训练模型 🚀 fine-tune 多模态 🤖!';
		const decoder = new IncrementalDecoder();
		let streamed = '';
		for (const id of encode(text)) {
			const piece = decoder.push(id);
			expect(piece).not.toContain('\uFFFD');
			streamed += piece;
		}
		expect(streamed + decoder.flush()).toBe(text);
	});

	it('turns bytes cut off by a special token or the end of stream into U+FFFD', () => {
		const decoder = new IncrementalDecoder();
		expect(decoder.pushAll([0xe4, 0xb8, specialTokenId('<|end|>')])).toBe('\uFFFD<|end|>');
		expect(decoder.pushAll(encode('a中'))).toBe('a中');
		decoder.push(0xf0);
		expect(decoder.flush()).toBe('\uFFFD');
	});

	it('can leave special tokens out of the stream', () => {
		const decoder = new IncrementalDecoder({ skipSpecialTokens: true });
		expect(decoder.pushAll([...encode('hi'), specialTokenId('<|eos|>')])).toBe('hi');
	});
});
