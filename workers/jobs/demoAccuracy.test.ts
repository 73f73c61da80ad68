import { describe, expect, it } from 'vitest';
import { accuracyByQuestionType } from './demoAccuracy';

const row = (question: string, answer: string) => ({ messages: [{ role: 'user' as const, content: `<image>${question}` }, { role: 'assistant' as const, content: answer }], images: ['a.png'] });

describe('held-out accuracy per question type', () => {
	it('scores each answer with the demo rules and groups by type', () => {
		const rows = [row('What shape is in the image?', 'star'), row('What shape is in the image?', 'circle'), row('How many shapes are in the image?', '3'), row('Tell me a joke', 'no')];
		const acc = accuracyByQuestionType(rows, ['A star.', 'square', 'three', 'no']);
		expect(acc).toEqual({ image_shape: 0.5, image_count: 1, other: 1 });
	});
});
