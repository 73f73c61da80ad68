import { describe, expect, it } from 'vitest';
import { diffText, diffTokens } from './evalDiff';

describe('eval text diff', () => {
	it('splits words, spaces and punctuation, CJK per character', () => {
		expect(diffTokens('Hi, 北京ok!', 'word')).toEqual(['Hi', ',', ' ', '北', '京', 'ok', '!']);
		expect(diffTokens('a😀b', 'char')).toEqual(['a', '😀', 'b']);
	});

	it('marks words only in the reference as deleted and only in the prediction as inserted', () => {
		expect(diffText('the cat sat', 'the dog sat')).toEqual([
			{ op: 'equal', text: 'the ' },
			{ op: 'delete', text: 'cat' },
			{ op: 'insert', text: 'dog' },
			{ op: 'equal', text: ' sat' }
		]);
		expect(diffText('a b', 'a b c')).toEqual([
			{ op: 'equal', text: 'a b' },
			{ op: 'insert', text: ' c' }
		]);
	});

	it('diffs Chinese per character', () => {
		expect(diffText('我爱北京天安门', '我爱天安门广场')).toEqual([
			{ op: 'equal', text: '我爱' },
			{ op: 'delete', text: '北京' },
			{ op: 'equal', text: '天安门' },
			{ op: 'insert', text: '广场' }
		]);
	});

	it('diffs characters and rebuilds both texts from the spans', () => {
		const spans = diffText('colour', 'color', 'char');
		expect(spans).toEqual([
			{ op: 'equal', text: 'colo' },
			{ op: 'delete', text: 'u' },
			{ op: 'equal', text: 'r' }
		]);
		const reference = 'The quick brown fox, 快速的狐狸。';
		const prediction = 'A quick red fox; 慢的狐狸!';
		const spansWord = diffText(reference, prediction);
		expect(spansWord.filter((s) => s.op !== 'insert').map((s) => s.text).join('')).toBe(reference);
		expect(spansWord.filter((s) => s.op !== 'delete').map((s) => s.text).join('')).toBe(prediction);
		expect(diffText('', '')).toEqual([]);
	});

	it('shows a very long middle as replaced whole instead of building a huge table', () => {
		const a = Array.from({ length: 3000 }, (_, i) => `a${i}`).join(' ');
		const b = Array.from({ length: 3000 }, (_, i) => `b${i}`).join(' ');
		expect(diffText(a, b)).toEqual([
			{ op: 'delete', text: a },
			{ op: 'insert', text: b }
		]);
	});
});
