import { describe, expect, it } from 'vitest';
import type { ChatMessageRecord } from '../../shared/chat/chat';
import { dpoRow, sftRow } from './trainingRows';

let clock = 0;
function message(role: 'user' | 'assistant', content: string, extra: Partial<ChatMessageRecord> = {}): ChatMessageRecord {
	return { id: `m${clock}`, conversationId: 'c', parentId: null, role, content, editedContent: null, modelId: null, attachments: [], stats: null, rating: 0, createdAt: clock++, ...extra };
}
const picture = { id: 'p1', kind: 'image' as const, name: 'red.png', size: 10 };
const clip = { id: 'v1', kind: 'video' as const, name: 'clip.mp4', size: 10 };
const sound = { id: 's1', kind: 'audio' as const, name: 'a.wav', size: 10 };
const ref = (a: { id: string }) => `media/${a.id}.bin`;

describe('training rows', () => {
	it('builds an SFT row with media tags where ms-swift puts them', () => {
		const path = [
			message('user', 'What colour?', { attachments: [picture, sound] }),
			message('assistant', 'Red.'),
			message('user', 'And this one?', { attachments: [clip] }),
			message('assistant', 'Blu', { editedContent: 'Blue.' })
		];
		expect(sftRow('Be brief.', path, ref)).toEqual({
			messages: [
				{ role: 'system', content: 'Be brief.' },
				{ role: 'user', content: '<image><audio>What colour?' },
				{ role: 'assistant', content: 'Red.' },
				{ role: 'user', content: '<video>And this one?' },
				{ role: 'assistant', content: 'Blue.' }
			],
			images: ['media/p1.bin'],
			audios: ['media/s1.bin'],
			videos: ['media/v1.bin']
		});
	});

	it('leaves out an empty system prompt and empty media lists', () => {
		const row = sftRow('  ', [message('user', 'Hi'), message('assistant', 'Hello')], ref);
		expect(row).toEqual({ messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello' }] });
	});

	it('builds a DPO row: chosen closes the messages, the other is rejected_response', () => {
		const path = [message('user', 'Colour?', { attachments: [picture] }), message('assistant', 'Green', { editedContent: 'Red' })];
		expect(dpoRow('', path, 'Green', ref)).toEqual({
			messages: [
				{ role: 'user', content: '<image>Colour?' },
				{ role: 'assistant', content: 'Red' }
			],
			images: ['media/p1.bin'],
			rejected_response: 'Green'
		});
	});

	it('refuses rows that do not end with an answer, or pairs of equal answers', () => {
		expect(() => sftRow('', [message('user', 'Hi')], ref)).toThrow(/ends with an answer/);
		expect(() => sftRow('', [message('assistant', 'Hi')], ref)).toThrow(/user turn/);
		expect(() => dpoRow('', [message('user', 'Q'), message('assistant', 'A')], 'A', ref)).toThrow(/same text/);
	});
});
