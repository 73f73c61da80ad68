import { describe, expect, it } from 'vitest';
import { SseDecoder } from './sseDecoder';

const bytes = (text: string) => new TextEncoder().encode(text);

function decodeSplit(text: string, at: number[]): string[] {
	const decoder = new SseDecoder();
	const all = bytes(text);
	const out: string[] = [];
	let from = 0;
	for (const cut of [...at, all.length]) {
		out.push(...decoder.push(all.subarray(from, cut)));
		from = cut;
	}
	return [...out, ...decoder.end()];
}

describe('SseDecoder', () => {
	const stream = 'data: {"a":1}\n\n: keep-alive\n\nevent: x\ndata: {"b":"é"}\n\ndata: [DONE]\n\n';

	it('reads whole events', () => {
		expect(decodeSplit(stream, [])).toEqual(['{"a":1}', '{"b":"é"}', '[DONE]']);
	});

	it('reads the same events however the bytes are split, UTF-8 characters included', () => {
		const all = bytes(stream);
		for (let cut = 1; cut < all.length; cut++) expect(decodeSplit(stream, [cut])).toEqual(['{"a":1}', '{"b":"é"}', '[DONE]']);
		expect(decodeSplit(stream, Array.from({ length: all.length - 1 }, (_, i) => i + 1))).toEqual(['{"a":1}', '{"b":"é"}', '[DONE]']);
	});

	it('takes CRLF and CR line ends, split between the two characters too', () => {
		const crlf = 'data: one\r\n\r\ndata: two\r\rdata: three\r\n\r\n';
		for (let cut = 1; cut < crlf.length; cut++) expect(decodeSplit(crlf, [cut])).toEqual(['one', 'two', 'three']);
	});

	it('joins the data lines of one event and keeps a last event without its blank line', () => {
		expect(decodeSplit('data: a\ndata: b\n\ndata:c', [])).toEqual(['a\nb', 'c']);
	});
});
