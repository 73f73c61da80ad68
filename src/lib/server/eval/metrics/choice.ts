/**
 * Choice accuracy: read the option letter a free-form answer chose ("B", "（A）", "答案是B", "The answer is (C)")
 * and compare it with the gold letter. Tiers are tried in order and the first that finds a letter wins:
 *   1. a statement: answer/option/choice or 答案/选/选项/选择, an optional connector (is, should be, 是, 为, :),
 *      then a letter in brackets or an upper-case letter standing alone; the last statement counts, since
 *      models tend to reason first and conclude last;
 *   2. letters in brackets, (C) [C] 【C】 (full-width brackets fold to these by NFKC), when they all agree;
 *   3. a letter opening the answer, followed by punctuation, the end, or a word that is not lower case
 *      ("B. Paris", "C)", "D、", "B Paris"; not "A dog", "I think");
 *   4. one upper-case letter standing alone anywhere ("I think B is right"); "A" and "I" followed by a lower-case
 *      word are read as English words, not options.
 * Where a tier finds two different letters the answer is ambiguous and no letter is extracted.
 */

export const CHOICE_ACCURACY_CONVENTION =
	'choice accuracy: option letter extracted from the answer (statement "答案是B"/"The answer is (C)", then bracketed, leading, lone letter; ambiguous = wrong) equals the gold letter';

export type ChoiceRule = 'statement' | 'bracketed' | 'leading' | 'standalone';

export interface ChoiceExtraction {
	letter: string | null;
	/** Which tier found it; null when none did. */
	rule: ChoiceRule | null;
	/** True when a tier found different letters and so none was chosen. */
	ambiguous: boolean;
}

/** Matches a word case-insensitively while the rest of a pattern stays case-sensitive. */
const anyCase = (word: string) => [...word].map((c) => `[${c.toUpperCase()}${c}]`).join('');

const LETTER = String.raw`(?:[(\[【]\s*([A-Za-z])\s*[)\]】]|([A-Z])(?![A-Za-z0-9]))`;
const KEYWORD = `(?:${['answer', 'option', 'choice'].map(anyCase).join('|')}|答案|选项|选择|选)`;
const CONNECTOR = `(?:${['is', 'should be', 'would be', 'will be'].map(anyCase).join('|')}|应该是|应为|应是|是|为|:|=)`;
const STATEMENT = new RegExp(`${KEYWORD}\\s*${CONNECTOR}?\\s*(?:${anyCase('option')}|选项)?\\s*${LETTER}`, 'g');
const BRACKETED = /[([【]\s*([A-Z])\s*[)\]】]/g;
const LEADING = /^\s*([A-Z])(?:\s*[.):,、，;；]|\s*$|\s+(?![\sa-z]))/;
// An apostrophe joins a letter to a word: the I of "I'm" is no option.
const STANDALONE = /(?<![A-Za-z0-9'’])([A-Z])(?![A-Za-z0-9'’])/g;
const ENGLISH_WORD_LETTER = /^\s+[a-z]/;

function validLetters(options: string | undefined): Set<string> {
	const letters = options ?? 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
	if (!/^[A-Z]+$/.test(letters)) throw new RangeError(`options must be upper-case letters A-Z, got "${letters}"`);
	return new Set(letters);
}

function decide(found: string[], rule: ChoiceRule): ChoiceExtraction | null {
	if (found.length === 0) return null;
	if (rule === 'statement') return { letter: found[found.length - 1], rule, ambiguous: false };
	const distinct = new Set(found);
	return distinct.size === 1 ? { letter: found[0], rule, ambiguous: false } : { letter: null, rule, ambiguous: true };
}

/**
 * The option letter an answer chose. `options` limits the letters that count (e.g. "ABCD", so the word "I"
 * never reads as option I); by default any of A-Z.
 */
export function extractChoice(answer: string, options?: string): ChoiceExtraction {
	const valid = validLetters(options);
	// NFKC folds full-width letters, brackets and colons (Ａ （ ） ：) to ASCII, so the patterns need only ASCII forms.
	const text = answer.normalize('NFKC');
	const keep = (letter: string | undefined) => (letter !== undefined && valid.has(letter.toUpperCase()) ? letter.toUpperCase() : null);

	const statements = [...text.matchAll(STATEMENT)].map((m) => keep(m[1] ?? m[2])).filter((l): l is string => l !== null);
	const bracketed = [...text.matchAll(BRACKETED)].map((m) => keep(m[1])).filter((l): l is string => l !== null);
	const leadingMatch = LEADING.exec(text);
	const leading = leadingMatch ? [keep(leadingMatch[1])].filter((l): l is string => l !== null) : [];
	const standalone = [...text.matchAll(STANDALONE)]
		.filter((m) => !((m[1] === 'A' || m[1] === 'I') && ENGLISH_WORD_LETTER.test(text.slice(m.index + 1))))
		.map((m) => keep(m[1]))
		.filter((l): l is string => l !== null);

	return (
		decide(statements, 'statement') ??
		decide(bracketed, 'bracketed') ??
		decide(leading, 'leading') ??
		decide(standalone, 'standalone') ?? { letter: null, rule: null, ambiguous: false }
	);
}

/** The gold letter itself, accepting "B", "(B)" or "B. Paris"; throws when the gold names no option. */
export function goldChoice(gold: string, options?: string): string {
	const { letter } = extractChoice(gold, options);
	if (letter === null) throw new RangeError(`gold answer "${gold}" names no option letter`);
	return letter;
}

/** 1 when the letter extracted from the prediction is the gold letter, else 0 (no letter found counts as wrong). */
export function choiceAccuracy(prediction: string, gold: string, options?: string): { score: number; extraction: ChoiceExtraction } {
	const extraction = extractChoice(prediction, options);
	return { score: extraction.letter !== null && extraction.letter === goldChoice(gold, options) ? 1 : 0, extraction };
}
