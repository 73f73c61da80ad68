import { describe, expect, it } from 'vitest';
import { choiceAccuracy, extractChoice, goldChoice } from './choice';

const letter = (answer: string, options?: string) => extractChoice(answer, options).letter;

describe('choice extraction', () => {
	it('reads answer statements in English and Chinese, the last one winning', () => {
		expect(extractChoice('答案是B')).toEqual({ letter: 'B', rule: 'statement', ambiguous: false });
		expect(letter('The answer is (C).')).toBe('C');
		expect(letter('the answer is (c)')).toBe('C');
		expect(letter('Answer: D')).toBe('D');
		expect(letter('答案：Ｃ')).toBe('C');
		expect(letter('正确答案为（A）。')).toBe('A');
		expect(letter('所以选B。')).toBe('B');
		expect(letter('A dog is shown. Let me check option A... no. The answer is D')).toBe('D');
	});

	it('reads bracketed, leading and lone letters', () => {
		expect(extractChoice('（A）')).toEqual({ letter: 'A', rule: 'bracketed', ambiguous: false });
		expect(extractChoice('B. Paris')).toEqual({ letter: 'B', rule: 'leading', ambiguous: false });
		expect(letter('D、以上都对')).toBe('D');
		expect(letter('B')).toBe('B');
		expect(extractChoice('I think B is right.')).toEqual({ letter: 'B', rule: 'standalone', ambiguous: false });
		expect(letter("I'm sure it's C")).toBe('C');
		expect(letter('C是正确的')).toBe('C');
	});

	it('does not read English words or ambiguous answers as choices', () => {
		expect(letter('The answer is a dog')).toBeNull();
		expect(letter('A dog')).toBeNull();
		expect(extractChoice('(A) or (B)?')).toEqual({ letter: null, rule: 'bracketed', ambiguous: true });
		expect(letter('B or C')).toBeNull();
		expect(letter('I think so', 'ABCD')).toBeNull();
	});

	it('limits letters to the given options', () => {
		expect(letter('The answer is E', 'ABCD')).toBeNull();
		expect(() => extractChoice('A', 'abcd')).toThrow(/upper-case letters/);
	});
});

describe('choice accuracy', () => {
	it('compares the extracted letter with the gold letter', () => {
		expect(choiceAccuracy('答案是B', 'B').score).toBe(1);
		expect(choiceAccuracy('The answer is (C)', '(B)').score).toBe(0);
		expect(choiceAccuracy('no idea', 'A')).toEqual({ score: 0, extraction: { letter: null, rule: null, ambiguous: false } });
		expect(goldChoice('B. Paris')).toBe('B');
		expect(() => goldChoice('Paris')).toThrow(/"Paris" names no option letter/);
	});
});
