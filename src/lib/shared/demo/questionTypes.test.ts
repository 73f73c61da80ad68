import { describe, expect, it } from 'vitest';
import { demoQuestionTypeOf, describeDemoQuestionTypes, scoreDemoAnswer } from './questionTypes';

describe('demo question types', () => {
	it('recognises each type from its example and nothing else', () => {
		for (const type of [...describeDemoQuestionTypes(), ...describeDemoQuestionTypes('colour_zh')]) expect(demoQuestionTypeOf(`<${type.modality}>${type.example}`)).toBe(type.id);
		expect(demoQuestionTypeOf('<image>Describe the image.')).toBeNull();
		expect(demoQuestionTypeOf('What colour is the shape?')).toBe('image_colour');
		expect(demoQuestionTypeOf('What colour is the shape at the top left?')).toBe('image_colour_at');
		expect(demoQuestionTypeOf('What shape is at the bottom right?')).toBe('image_shape_at');
		expect(demoQuestionTypeOf('What shape is at the middle?')).toBeNull();
	});

	it('scores answers leniently on case, punctuation, articles and number words', () => {
		expect(scoreDemoAnswer('3', 'Three.')).toBe(true);
		expect(scoreDemoAnswer('circle', 'A circle')).toBe(true);
		expect(scoreDemoAnswer('center', 'Centre')).toBe(true);
		expect(scoreDemoAnswer('left', 'right')).toBe(false);
		expect(scoreDemoAnswer('2', 'two shapes')).toBe(false);
	});
});
