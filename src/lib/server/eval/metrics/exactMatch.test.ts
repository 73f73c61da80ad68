import { describe, expect, it } from 'vitest';
import { exactMatch, normalisedAccuracy, tokenF1 } from './exactMatch';
import { answerTokens, normaliseAnswer, rougeTokens } from './text';

describe('answer normalisation', () => {
	it('does what SQuAD does to English: lower case, punctuation and articles out, whitespace collapsed', () => {
		expect(normaliseAnswer('  The Eiffel  Tower! ')).toBe('eiffel tower');
		expect(normaliseAnswer("Don't stop")).toBe('dont stop');
		expect(normaliseAnswer('An apple, a pear')).toBe('apple pear');
	});

	it('removes Chinese punctuation and folds full-width forms', () => {
		expect(normaliseAnswer('“北京”，是首都。（对）《书》！？、；：‘’')).toBe('北京是首都对书');
		expect(normaliseAnswer('ＡＢＣ　１２３')).toBe('abc 123');
	});

	it('tokenises CJK per character for F1 and ROUGE', () => {
		expect(answerTokens('GPT-4很强')).toEqual(['gpt4', '很', '强']);
		expect(rougeTokens('Hello, 世界! café')).toEqual(['hello', '世', '界', 'caf']);
	});
});

describe('exact match and normalised accuracy', () => {
	it('exact match only trims surrounding whitespace', () => {
		expect(exactMatch('  Paris\n', ['Paris'])).toBe(1);
		expect(exactMatch('paris.', ['Paris'])).toBe(0);
		expect(exactMatch('北京。', ['北京'])).toBe(0);
	});

	it('normalised accuracy forgives case, punctuation, articles and width', () => {
		expect(normalisedAccuracy('paris.', ['Paris'])).toBe(1);
		expect(normalisedAccuracy('The Eiffel Tower!', ['eiffel tower'])).toBe(1);
		expect(normalisedAccuracy('北京。', ['北京'])).toBe(1);
		expect(normalisedAccuracy('“北京”', ['北京'])).toBe(1);
		expect(normalisedAccuracy('上海', ['北京'])).toBe(0);
	});

	it('takes the best of several references and refuses none', () => {
		expect(normalisedAccuracy('NYC', ['New York', 'nyc'])).toBe(1);
		expect(() => exactMatch('a', [])).toThrow(/at least one reference/);
	});
});

describe('token F1 (SQuAD)', () => {
	it('scores English bags of words', () => {
		// "the big cat" -> [big, cat]; "a cat" -> [cat]; common 1, P = 1/2, R = 1, F1 = 2/3.
		expect(tokenF1('the big cat', ['a cat'])).toBeCloseTo(2 / 3, 10);
		expect(tokenF1('The cat sat on the mat.', ['A cat sat on a mat'])).toBe(1);
		expect(tokenF1('dog', ['cat'])).toBe(0);
	});

	it('scores Chinese per character', () => {
		// 我爱北京 vs 我爱上海: common {我, 爱} = 2, P = R = 2/4, F1 = 0.5.
		expect(tokenF1('我爱北京', ['我爱上海'])).toBe(0.5);
		// Word order does not matter to a bag: 北京是首都 vs 首都是北京。 -> 5 of 5.
		expect(tokenF1('北京是首都', ['首都是北京。'])).toBe(1);
		// Mixed: [gpt4, 很, 强] vs [gpt4, 很, 强, 大]: common 3, P = 1, R = 3/4, F1 = 1.5/1.75 = 6/7.
		expect(tokenF1('GPT-4很强', ['gpt4 很强大'])).toBeCloseTo(6 / 7, 10);
	});

	it('gives an empty answer 1 only against an empty reference (SQuAD 2.0)', () => {
		expect(tokenF1('', [''])).toBe(1);
		expect(tokenF1('the', ['cat'])).toBe(0);
		expect(tokenF1('cat', ['dog', 'a cat'])).toBe(1);
	});
});
