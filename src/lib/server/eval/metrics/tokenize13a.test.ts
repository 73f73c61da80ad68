import { describe, expect, it } from 'vitest';
import { isSacrebleuChineseChar, pySplit, tokenize13a, tokenizeZh } from './tokenize13a';

// Expected tokens worked out by applying sacreBLEU's rules by hand (tokenizer_13a.py, tokenizer_re.py,
// tokenizer_zh.py of sacreBLEU 2.x); each case says which rule does the work.
describe('sacreBLEU 13a tokeniser', () => {
	it('splits symbols and sentence punctuation but keeps apostrophes and hyphens inside words', () => {
		expect(tokenize13a('Hello, world!')).toBe('Hello , world !');
		expect(tokenize13a("It costs $3.14, isn't it?")).toBe("It costs $ 3.14 , isn't it ?");
		expect(tokenize13a('a well-known (rare) case: x/y')).toBe('a well-known ( rare ) case : x / y');
	});

	it('keeps periods and commas between digits, splits a dash after a digit', () => {
		expect(tokenize13a('1,000 people.')).toBe('1,000 people .');
		expect(tokenize13a('3.14.')).toBe('3.14 .');
		expect(tokenize13a('1990-2000')).toBe('1990 - 2000');
		// " .5 " is padded first, so the space before the period lets rule 2 split it off.
		expect(tokenize13a('.5')).toBe('. 5');
	});

	it('splits abbreviations letter by letter, as mteval does', () => {
		expect(tokenize13a('U.S.A.')).toBe('U . S . A .');
	});

	it('unescapes four HTML entities, &amp; before the others, and drops <skipped>', () => {
		expect(tokenize13a('&quot;A&amp;B&quot;')).toBe('" A & B "');
		expect(tokenize13a('&amp;lt;')).toBe('<');
		expect(tokenize13a('x <skipped> y')).toBe('x y');
		expect(tokenize13a('hyphen-\nated line\nbreak')).toBe('hyphenated line break');
	});

	it("splits on Python's whitespace, not JavaScript's", () => {
		// U+001F is whitespace to Python's str.split() and not to JS \s; U+FEFF is the other way round.
		expect(pySplit('a\u001fb\ufeffc')).toEqual(['a', 'b\ufeffc']);
	});
});

describe('sacreBLEU zh tokeniser', () => {
	it('makes every CJK character and CJK punctuation mark a token', () => {
		expect(tokenizeZh('我爱北京天安门。')).toBe('我 爱 北 京 天 安 门 。');
		expect(tokenizeZh('GPT-4模型很强，对吧？')).toBe('GPT-4 模 型 很 强 ， 对 吧 ？');
	});

	it('runs the 13a rules on the rest, without 13a entity unescaping', () => {
		expect(tokenizeZh('价格是$3.50。')).toBe('价 格 是 $ 3.50 。');
		// '&' and ';' (0x3B, inside 13a's ':'..'@' range) both split off.
		expect(tokenizeZh('A&amp;B')).toBe('A & amp ; B');
	});

	it("reproduces sacreBLEU's five-digit escape quirk: U+2001..U+2A6D split, Extension B not", () => {
		// '\u20000' in the Python source is U+2000 followed by '0', so the range really covers U+2001..U+2A6D.
		expect(tokenizeZh('他说“你好”—再见…')).toBe('他 说 “ 你 好 ” — 再 见 …');
		expect(isSacrebleuChineseChar(0x2000)).toBe(false);
		expect(isSacrebleuChineseChar(0x2001)).toBe(true);
		expect(isSacrebleuChineseChar(0x2a6d)).toBe(true);
		expect(isSacrebleuChineseChar(0x20000)).toBe(false);
		expect(tokenizeZh('𠀀𠀁')).toBe('𠀀𠀁');
		// 13a leaves the em dash alone: it is not ASCII.
		expect(tokenize13a('a—b')).toBe('a—b');
	});
});
