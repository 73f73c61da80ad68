import { describe, expect, it } from 'vitest';
import type { StandardRow } from '../../shared/dataset';
import { validateRow } from './validateRow';

const limits = { maxFieldChars: 100 };

function kinds(row: StandardRow): [string, string | null][] {
	return validateRow(row, limits).map((p) => [p.kind, p.field]);
}

describe('validateRow', () => {
	it('accepts a well-formed multimodal conversation', () => {
		expect(
			kinds({
				messages: [
					{ role: 'system', content: 'sys' },
					{ role: 'user', content: '<image><audio>hi' },
					{ role: 'assistant', content: 'ok' },
					{ role: 'user', content: '<image>more' },
					{ role: 'tool_call', content: '{"name":"f"}' },
					{ role: 'tool_response', content: '{"r":1}' },
					{ role: 'assistant', content: 'done' }
				],
				images: ['a.png', 'b.png'],
				audios: ['c.wav']
			})
		).toEqual([]);
	});

	it('reports empty content and over-long fields', () => {
		expect(
			kinds({
				messages: [
					{ role: 'user', content: '  ' },
					{ role: 'assistant', content: 'x'.repeat(101) }
				]
			})
		).toEqual([
			['empty_content', 'messages[0].content'],
			['too_long_field', 'messages[1].content']
		]);
		expect(kinds({ messages: [] })).toEqual([['empty_content', 'messages']]);
	});

	it('reports every role-order problem and a missing assistant', () => {
		expect(
			kinds({
				messages: [
					{ role: 'assistant', content: 'a' },
					{ role: 'system', content: 's' },
					{ role: 'user', content: 'u' },
					{ role: 'user', content: 'u2' },
					{ role: 'assistant', content: 'a2' }
				]
			})
		).toEqual([
			['role_order', 'messages[0].role'],
			['role_order', 'messages[1].role'],
			['role_order', 'messages[3].role']
		]);
		expect(kinds({ messages: [{ role: 'user', content: 'q' }] })).toEqual([['no_assistant', 'messages']]);
	});

	it('reports media tags that do not match the lists, per kind', () => {
		expect(
			kinds({
				messages: [
					{ role: 'user', content: '<image><image><video>' },
					{ role: 'assistant', content: 'a' }
				],
				images: ['one.png'],
				audios: ['x.wav']
			})
		).toEqual([
			['media_tag_mismatch', 'images'],
			['media_tag_mismatch', 'audios'],
			['media_tag_mismatch', 'videos']
		]);
	});

	it('checks rejected fields', () => {
		expect(
			kinds({
				messages: [
					{ role: 'user', content: 'q' },
					{ role: 'assistant', content: 'a' }
				],
				rejected_response: ' '
			})
		).toEqual([['empty_content', 'rejected_response']]);
	});
});
