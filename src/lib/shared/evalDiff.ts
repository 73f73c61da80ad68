/**
 * A small text diff for the per-sample eval view: which parts of the reference the prediction kept, dropped
 * and added. Word level splits into words, whitespace runs and single punctuation marks, with every CJK
 * character a token of its own (Chinese has no spaces to split on); character level splits into code points.
 * The diff is a longest common subsequence over tokens. Pure, shared with the browser.
 */

export type DiffOp = 'equal' | 'delete' | 'insert';

export interface DiffSpan {
	/** `equal`: in both; `delete`: only in the reference; `insert`: only in the prediction. */
	op: DiffOp;
	text: string;
}

export type DiffGranularity = 'word' | 'char';

const CJK = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}';
const WORD_TOKENS = new RegExp(`[${CJK}]|(?:(?![${CJK}])[\\p{L}\\p{N}\\p{M}_])+|\\s+|[^]`, 'gu');

/** Above this many table cells (tokens x tokens, after the common ends are trimmed) the middle is shown as replaced whole. */
const MAX_CELLS = 2_000_000;

export function diffTokens(text: string, granularity: DiffGranularity): string[] {
	return granularity === 'char' ? Array.from(text) : (text.match(WORD_TOKENS) ?? []);
}

function push(spans: DiffSpan[], op: DiffOp, text: string): void {
	if (text.length === 0) return;
	const last = spans[spans.length - 1];
	if (last && last.op === op) last.text += text;
	else spans.push({ op, text });
}

/** The spans that turn `reference` into `prediction`, adjacent spans of one kind merged. */
export function diffText(reference: string, prediction: string, granularity: DiffGranularity = 'word'): DiffSpan[] {
	const a = diffTokens(reference, granularity);
	const b = diffTokens(prediction, granularity);
	let start = 0;
	while (start < a.length && start < b.length && a[start] === b[start]) start++;
	let endA = a.length;
	let endB = b.length;
	while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
		endA--;
		endB--;
	}
	const spans: DiffSpan[] = [];
	push(spans, 'equal', a.slice(0, start).join(''));
	const midA = a.slice(start, endA);
	const midB = b.slice(start, endB);
	const n = midA.length;
	const m = midB.length;
	if ((n + 1) * (m + 1) > MAX_CELLS) {
		push(spans, 'delete', midA.join(''));
		push(spans, 'insert', midB.join(''));
	} else {
		// lcs[i * (m + 1) + j] = LCS length of midA[i..] and midB[j..], so the walk below can go forwards.
		const width = m + 1;
		const lcs = new Uint32Array((n + 1) * width);
		for (let i = n - 1; i >= 0; i--) {
			for (let j = m - 1; j >= 0; j--) {
				lcs[i * width + j] = midA[i] === midB[j] ? lcs[(i + 1) * width + j + 1] + 1 : Math.max(lcs[(i + 1) * width + j], lcs[i * width + j + 1]);
			}
		}
		let i = 0;
		let j = 0;
		while (i < n || j < m) {
			if (i < n && j < m && midA[i] === midB[j]) {
				push(spans, 'equal', midA[i++]);
				j++;
			} else if (j >= m || (i < n && lcs[(i + 1) * width + j] >= lcs[i * width + j + 1])) {
				push(spans, 'delete', midA[i++]);
			} else {
				push(spans, 'insert', midB[j++]);
			}
		}
	}
	push(spans, 'equal', a.slice(endA).join(''));
	return spans;
}
