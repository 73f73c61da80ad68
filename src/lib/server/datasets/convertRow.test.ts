import { describe, expect, it } from 'vitest';
import { convertRow } from './convertRow';

describe('convertRow', () => {
	it('keeps ms-swift standard rows, media and preference fields', () => {
		const result = convertRow({
			messages: [
				{ role: 'system', content: 'Be brief.' },
				{ role: 'user', content: '<image>What is it?' },
				{ role: 'assistant', content: 'A cat.' }
			],
			images: ['cat.png'],
			rejected_response: 'A dog.',
			label: 'true'
		});
		expect(result.format).toBe('messages');
		expect(result.problems).toEqual([]);
		expect(result.row).toEqual({
			messages: [
				{ role: 'system', content: 'Be brief.' },
				{ role: 'user', content: '<image>What is it?' },
				{ role: 'assistant', content: 'A cat.' }
			],
			images: ['cat.png'],
			rejected_response: 'A dog.',
			label: true
		});
	});

	it('flattens OpenAI content parts into tags and media lists', () => {
		const { row, problems } = convertRow({
			messages: [
				{
					role: 'user',
					content: [
						{ type: 'text', text: 'Compare ' },
						{ type: 'image_url', image_url: { url: 'a.png' } },
						{ type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } }
					]
				},
				{ role: 'assistant', content: 'Done.' }
			]
		});
		expect(problems).toEqual([]);
		expect(row.messages[0].content).toBe('Compare <image><audio>');
		expect(row.images).toEqual(['a.png']);
		expect(row.audios).toEqual(['data:audio/wav;base64,AAAA']);
	});

	it('converts ms-swift ShareGPT pairs with a system prompt', () => {
		const { format, row } = convertRow({ system: 'sys', conversation: [{ human: 'hi', assistant: 'hello' }, { human: 'bye', assistant: 'ciao' }] });
		expect(format).toBe('sharegpt');
		expect(row.messages.map((m) => `${m.role}:${m.content}`)).toEqual(['system:sys', 'user:hi', 'assistant:hello', 'user:bye', 'assistant:ciao']);
	});

	it('converts the conversations/from/value variant and flags unknown speakers', () => {
		const { row, problems } = convertRow({
			conversations: [
				{ from: 'system', value: 's' },
				{ from: 'human', value: 'q' },
				{ from: 'gpt', value: 'a' },
				{ from: 'narrator', value: '?' }
			]
		});
		expect(row.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant']);
		expect(problems).toEqual([expect.objectContaining({ kind: 'bad_field_type', field: 'conversations[3].from' })]);
	});

	it('converts Alpaca with input, system and history', () => {
		const { format, row } = convertRow({ system: 's', instruction: 'Translate', input: 'chat', output: 'cat', history: [['hi', 'hello']] });
		expect(format).toBe('alpaca');
		expect(row.messages).toEqual([
			{ role: 'system', content: 's' },
			{ role: 'user', content: 'hi' },
			{ role: 'assistant', content: 'hello' },
			{ role: 'user', content: 'Translate\nchat' },
			{ role: 'assistant', content: 'cat' }
		]);
	});

	it.each([
		['query', 'response'],
		['prompt', 'answer'],
		['input', 'output'],
		['instruction', 'target'],
		['question', 'completion']
	])('converts query/response under the aliases %s / %s', (queryKey, responseKey) => {
		const { format, row, problems } = convertRow({ [queryKey]: 'Q', [responseKey]: 'A' });
		expect(['query_response', 'alpaca']).toContain(format);
		expect(problems).toEqual([]);
		expect(row.messages).toEqual([
			{ role: 'user', content: 'Q' },
			{ role: 'assistant', content: 'A' }
		]);
	});

	it('reports rows in no known layout', () => {
		const { format, problems } = convertRow({ text: 'hello', meta: 1 });
		expect(format).toBeNull();
		expect(problems[0]).toMatchObject({ kind: 'unknown_format', message: expect.stringContaining('text, meta') });
	});

	it('reports wrong types: media lists, roles, history and a non-boolean KTO label', () => {
		const { problems } = convertRow({
			messages: [{ role: 'robot', content: 'x' }],
			images: 5,
			label: 'maybe'
		});
		expect(problems.map((p) => [p.kind, p.field])).toEqual([
			['bad_field_type', 'images'],
			['dpo_missing_rejected', 'label'],
			['bad_field_type', 'messages[0].role']
		]);
		expect(convertRow({ query: 'q', response: 'r', history: 'nope' }).problems[0]).toMatchObject({ kind: 'bad_field_type', field: 'history' });
	});
});
