/**
 * Text normalisation and tokenisation shared by the answer metrics (exact match, token F1, ROUGE-L).
 * sacreBLEU's tokenisers live apart in `tokenize13a.ts`: they must match sacreBLEU character for character,
 * quirks included, while these follow SQuAD and rouge-score and only add CJK support.
 */

/** Characters written without spaces between words: each is a token of its own (Han, kana). */
const CJK_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const CJK_RUN_SPLIT = /([\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}])/u;

/** Python's `string.punctuation`, which SQuAD strips. */
const ASCII_PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;
/** Every Unicode punctuation mark, which covers Chinese ，。！？、；：“”‘’（）《》【】…— as well. */
const UNICODE_PUNCTUATION = /\p{P}/gu;
const ENGLISH_ARTICLES = /\b(a|an|the)\b/g;

export function isCjkChar(char: string): boolean {
	return CJK_CHAR.test(char);
}

/**
 * SQuAD's answer normalisation, widened for Chinese: NFKC (full-width letters, digits and punctuation become
 * their ASCII forms), lower case, punctuation removed (ASCII as SQuAD does, plus all Unicode punctuation),
 * the English articles a/an/the removed as whole words, and runs of whitespace collapsed to one space.
 * Punctuation is deleted rather than replaced by a space, as SQuAD does: "don't" becomes "dont".
 */
export function normaliseAnswer(text: string): string {
	return text
		.normalize('NFKC')
		.toLowerCase()
		.replace(ASCII_PUNCTUATION, '')
		.replace(UNICODE_PUNCTUATION, '')
		.replace(ENGLISH_ARTICLES, ' ')
		.split(/\s+/)
		.filter((word) => word.length > 0)
		.join(' ');
}

/** Splits whitespace-separated words further so that every CJK character is a token of its own. */
export function splitCjk(words: readonly string[]): string[] {
	const tokens: string[] = [];
	for (const word of words) {
		for (const piece of word.split(CJK_RUN_SPLIT)) if (piece.length > 0) tokens.push(piece);
	}
	return tokens;
}

/** The tokens token F1 counts: the normalised answer's words, CJK per character. */
export function answerTokens(text: string): string[] {
	const normalised = normaliseAnswer(text);
	return normalised.length === 0 ? [] : splitCjk(normalised.split(' '));
}

/**
 * rouge-score's default tokeniser (lower case, keep runs of `[a-z0-9]`, no stemming) except that CJK characters
 * are kept, one token each, where rouge-score would drop them.
 */
export function rougeTokens(text: string): string[] {
	const matches = text.toLowerCase().match(/[a-z0-9]+|[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/gu);
	return matches ?? [];
}
