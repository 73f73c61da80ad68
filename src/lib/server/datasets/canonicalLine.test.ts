import { describe, expect, it } from 'vitest';
import { measureCanonicalLine, type CanonicalMeasure } from './canonicalLine';
import { convertRow } from './convertRow';
import { measureRow } from './datasetStats';
import { hasLabel, hasRejected } from './preferenceRules';
import { isPlainObject } from './sourceRecord';
import { validateRow } from './validateRow';

const MAX_CHARS = 40;

/** What the full path says: the measurements of a row stored unchanged with no problem, else null. */
function fullPath(line: string): CanonicalMeasure | null {
	let value: unknown;
	try {
		value = JSON.parse(line);
	} catch {
		return null;
	}
	if (!isPlainObject(value)) return null;
	const converted = convertRow(value);
	const row = converted.row;
	if (converted.format === null || converted.problems.length > 0 || !converted.unchanged) return null;
	if (row.images || row.audios || row.videos || hasRejected(row) || hasLabel(row)) return null;
	if (validateRow(row, { maxFieldChars: MAX_CHARS }).length > 0) return null;
	const { tokens, messages, turns } = measureRow(row);
	return { tokens, messages, turns };
}

function fast(line: string): CanonicalMeasure | null {
	const bytes = Buffer.from(`xx${line}yy`);
	const into: CanonicalMeasure = { tokens: -1, messages: -1, turns: -1 };
	return measureCanonicalLine(bytes, 2, bytes.length - 2, MAX_CHARS, into) ? into : null;
}

/** A small seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
		return state / 0x1_0000_0000;
	};
}

const ROLES = ['system', 'user', 'assistant', 'tool_call', 'tool_response', 'tool', 'human', 'User'];
const PIECES = ['a', 'b c', ' ', '\\n', '\\t', '\\"', '\\\\', '\\/', '\\b', '\\f', '\\r', '\\u0041', '<image>', '<', '<audio>', 'é', '\t', 'x'.repeat(30), '\\x'];

function randomLine(next: () => number): string {
	const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)];
	const sep = () => pick(['', '', ' ', '  ']);
	const count = 1 + Math.floor(next() * 4);
	// Mostly well-ordered conversations with ordinary text, so the shortcut is taken often enough to test.
	const ordered = next() < 0.7;
	const system = next() < 0.3;
	const messages: string[] = [];
	for (let i = 0; i < count; i++) {
		const role = ordered ? (system && i === 0 ? 'system' : (i + (system ? 1 : 0)) % 2 === 0 ? 'user' : 'assistant') : pick(ROLES.slice(0, next() < 0.9 ? 3 : ROLES.length));
		const pieces = next() < 0.7 ? PIECES.slice(0, 3) : PIECES;
		const content = Array.from({ length: Math.floor(next() * 4) }, () => pick(pieces)).join('');
		const roleField = `"role"${sep()}:${sep()}"${role}"`;
		const contentField = `"content"${sep()}:${sep()}"${content}"`;
		const fields = next() < 0.8 ? [roleField, contentField] : [contentField, roleField];
		if (next() < 0.05) fields.push(`"name":"x"`);
		if (next() < 0.03) fields.push(roleField);
		messages.push(`{${sep()}${fields.join(`,${sep()}`)}${sep()}}`);
	}
	let line = `{${sep()}"messages"${sep()}:${sep()}[${messages.join(`,${sep()}`)}]${sep()}}`;
	if (next() < 0.05) line = line.replace('}', ', "images": []}');
	if (next() < 0.03) line += 'x';
	return line;
}

describe('measureCanonicalLine', () => {
	it('accepts plain rows and measures them as measureRow does', () => {
		const lines = [
			'{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]}',
			'{"messages": [{"role": "system", "content": ""}, {"role": "user", "content": "q\\nx"}, {"role": "assistant", "content": "a \\"b\\""}]}',
			'{"messages":[{"content":"q","role":"user"},{"role":"tool_call","content":"{}"},{"role":"tool_response","content":"1"},{"role":"assistant","content":"done"}]}',
			'  {"messages":[{"role":"user","content":"a < b"},{"role":"assistant","content":"yes"}]}  '
		];
		for (const line of lines) {
			expect(fast(line), line).not.toBeNull();
			expect(fast(line), line).toEqual(fullPath(line));
		}
	});

	it('leaves everything unusual to the full path', () => {
		const lines = [
			'{"messages":[{"role":"user","content":"\\u0041"},{"role":"assistant","content":"b"}]}',
			'{"messages":[{"role":"user","content":"é"},{"role":"assistant","content":"b"}]}',
			'{"messages":[{"role":"user","content":"<image>"},{"role":"assistant","content":"b"}]}',
			'{"messages":[{"role":"user","content":"  "},{"role":"assistant","content":"b"}]}',
			'{"messages":[{"role":"assistant","content":"b"}]}',
			'{"messages":[{"role":"user","content":"a"}]}',
			'{"messages":[{"role":"user","content":"a"},{"role":"user","content":"a"},{"role":"assistant","content":"b"}]}',
			'{"messages":[{"role":"user","content":"a","role":"user"},{"role":"assistant","content":"b"}]}',
			'{"messages":[{"role":"human","content":"a"},{"role":"assistant","content":"b"}]}',
			`{"messages":[{"role":"user","content":"${'x'.repeat(MAX_CHARS + 1)}"},{"role":"assistant","content":"b"}]}`,
			'{"messages":[]}',
			'{"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"}],"label":true}',
			'{"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"}]}]'
		];
		for (const line of lines) expect(fast(line), line).toBeNull();
	});

	it('never accepts a line the full path would refuse or measure differently', () => {
		const next = random(7);
		let accepted = 0;
		for (let i = 0; i < 20_000; i++) {
			const line = randomLine(next);
			const quick = fast(line);
			if (quick === null) continue;
			accepted++;
			expect(quick, line).toEqual(fullPath(line));
		}
		// The generator is meant to hit the shortcut often, or the comparison proves little.
		expect(accepted).toBeGreaterThan(1000);
	});
});
