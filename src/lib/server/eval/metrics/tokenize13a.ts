/**
 * sacreBLEU's tokenisers `13a` (mteval-v13a, the WMT default) and `zh`, written to give the same tokens as
 * sacreBLEU 2.x on every input, so BLEU numbers here compare with published ones. Regexes run with code point
 * semantics as Python's do, and whitespace means what Python's `str.split()` and `str.strip()` take it to mean.
 */

/** Python's whitespace for `str.split()`/`str.strip()`: note \x1c-\x1f and \x85 are in, \ufeff is out. */
const PY_SPACE = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const PY_SPACE_RUN = new RegExp(`[${PY_SPACE}]+`, 'u');
const PY_TRAILING_SPACE = new RegExp(`[${PY_SPACE}]+$`, 'u');
const PY_LEADING_SPACE = new RegExp(`^[${PY_SPACE}]+`, 'u');

/** Python's `str.split()` with no argument: split on whitespace runs, drop empty pieces. */
export function pySplit(text: string): string[] {
	return text.split(PY_SPACE_RUN).filter((piece) => piece.length > 0);
}

export function pyRstrip(text: string): string {
	return text.replace(PY_TRAILING_SPACE, '');
}

function pyStrip(text: string): string {
	return pyRstrip(text).replace(PY_LEADING_SPACE, '');
}

/** The language-dependent rules of mteval-v13a, applied in order (sacreBLEU's `TokenizerRegexp`). */
const RULES: [RegExp, string][] = [
	// Symbols and punctuation become tokens: { | } ~ [ \ ] ^ _ ` space ! " # $ % & ( ) * + : ; < = > ? @ /
	// (the apostrophe, comma, hyphen and period are left to the rules below or kept inside words).
	[/([\x7B-\x7E\x5B-\x60\x20-\x26\x28-\x2B\x3A-\x40\x2F])/gu, ' $1 '],
	// Period and comma split off unless preceded by a digit...
	[/([^0-9])([.,])/gu, '$1 $2 '],
	// ...or unless followed by a digit, so "3.14" and "1,000" stay whole.
	[/([.,])([^0-9])/gu, ' $1 $2'],
	// A dash after a digit splits off ("1990-2000" -> "1990 - 2000"); other hyphens stay inside words.
	[/([0-9])(-)/gu, '$1 $2 ']
];

function applyRules(line: string): string {
	let out = line;
	for (const [pattern, replacement] of RULES) out = out.replace(pattern, replacement);
	return pySplit(pyStrip(out)).join(' ');
}

/** sacreBLEU's `13a`: drop `<skipped>`, join hyphenated line breaks, unescape four HTML entities, then the rules. */
export function tokenize13a(line: string): string {
	const unescaped = line
		.replaceAll('<skipped>', '')
		.replaceAll('-\n', '')
		.replaceAll('\n', ' ')
		.replaceAll('&quot;', '"')
		.replaceAll('&amp;', '&')
		.replaceAll('&lt;', '<')
		.replaceAll('&gt;', '>');
	return applyRules(` ${unescaped} `);
}

/**
 * The code point ranges sacreBLEU's `zh` tokeniser treats as Chinese. Two of its source ranges are written
 * with five hex digits inside a four-digit escape ('\u20000', '\u2f800'), so Python reads them as two-character
 * strings and compares one character against them lexicographically: the effective ranges are U+2001..U+2A6D
 * (general punctuation such as “ ” — …, arrows, maths symbols) and U+2F81..U+2FA1, and Extension B
 * (U+20000 up) is not split at all. Reproduced as is, since published zh BLEU scores depend on it.
 */
const SACREBLEU_ZH_RANGES: readonly [number, number][] = [
	[0x3400, 0x4db5],
	[0x4e00, 0x9fa5],
	[0x9fa6, 0x9fbb],
	[0xf900, 0xfa2d],
	[0xfa30, 0xfa6a],
	[0xfa70, 0xfad9],
	[0x2001, 0x2a6d],
	[0x2f81, 0x2fa1],
	[0xff00, 0xffef],
	[0x2e80, 0x2eff],
	[0x3000, 0x303f],
	[0x31c0, 0x31ef],
	[0x2f00, 0x2fdf],
	[0x2ff0, 0x2fff],
	[0x3100, 0x312f],
	[0x31a0, 0x31bf],
	[0xfe10, 0xfe1f],
	[0xfe30, 0xfe4f],
	[0x2600, 0x26ff],
	[0x2700, 0x27bf],
	[0x3200, 0x32ff],
	[0x3300, 0x33ff]
];

export function isSacrebleuChineseChar(codePoint: number): boolean {
	return SACREBLEU_ZH_RANGES.some(([from, to]) => codePoint >= from && codePoint <= to);
}

/**
 * sacreBLEU's `zh`: every character in the ranges above becomes its own token, then the 13a rules run on the
 * whole line (without 13a's entity unescaping, as in sacreBLEU).
 */
export function tokenizeZh(line: string): string {
	let spaced = '';
	for (const char of pyStrip(line)) spaced += isSacrebleuChineseChar(char.codePointAt(0) ?? 0) ? ` ${char} ` : char;
	return applyRules(spaced);
}

export const bleuTokenizers = ['13a', 'zh', 'none'] as const;
export type BleuTokenizer = (typeof bleuTokenizers)[number];

export function tokenizeForBleu(line: string, tokenizer: BleuTokenizer): string {
	if (tokenizer === '13a') return tokenize13a(line);
	if (tokenizer === 'zh') return tokenizeZh(line);
	return line;
}
