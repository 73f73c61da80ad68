import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRecords } from './readRecords';
import type { DataFileKind } from './dataFileKind';
import type { SourceRecord } from './sourceRecord';
import { withTempDir } from './testFixtures';

async function readAll(content: string | Buffer, kind: DataFileKind, maxRecordBytes = 1 << 20): Promise<SourceRecord[]> {
	return withTempDir(async (dir) => {
		const file = path.join(dir, `data.${kind}`);
		await writeFile(file, content);
		const records: SourceRecord[] = [];
		// The raw line bytes JSONL records carry is checked where it is used (the import tests).
		for await (const batch of readRecords(file, kind, { maxRecordBytes })) records.push(
			...batch.map((record) => {
				const copy: Record<string, unknown> = { ...record };
				delete copy.raw;
				return copy as SourceRecord;
			})
		);
		return records;
	});
}

describe('readJsonl', () => {
	it('parses objects per line with their line numbers, skipping blank lines', async () => {
		const records = await readAll('{"a":1}\n\n   \n{"b":2}\r\n{bad json}\n[1,2]\n', 'jsonl');
		expect(records).toEqual([
			{ line: 1, value: { a: 1 } },
			{ line: 4, value: { b: 2 } },
			{ line: 5, problem: expect.objectContaining({ kind: 'bad_json' }) },
			{ line: 6, problem: expect.objectContaining({ kind: 'bad_json', message: expect.stringContaining('one JSON object') }) }
		]);
	});

	it('reports a line over the limit and carries on', async () => {
		const records = await readAll(`{"a":"${'x'.repeat(500)}"}\n{"b":1}\n`, 'jsonl', 100);
		expect(records[0]).toMatchObject({ line: 1, problem: { kind: 'line_too_long' } });
		expect(records[1]).toEqual({ line: 2, value: { b: 1 } });
	});

	it('streams a multi-megabyte line', async () => {
		const text = 'z'.repeat(3_000_000);
		const records = await readAll(`${JSON.stringify({ text })}\n`, 'jsonl', 10_000_000);
		expect((records[0].value as { text: string }).text.length).toBe(3_000_000);
	});
});

describe('readJsonArray', () => {
	it('streams elements of a top-level array, strings with brackets and escapes included', async () => {
		const json = '\ufeff[\n  {"q": "a ] } [ { \\" \\\\", "n": [1, {"x": [2]}]},\n  {"q": "second"}\n]\n';
		const records = await readAll(json, 'json');
		expect(records).toEqual([
			{ line: 2, value: { q: 'a ] } [ { " \\', n: [1, { x: [2] }] } },
			{ line: 3, value: { q: 'second' } }
		]);
	});

	it('reports non-object elements and broken elements but keeps the good ones', async () => {
		const records = await readAll('[{"a":1}, 42, {"b": tru}, {"c":3}]', 'json');
		expect(records.map((r) => r.problem?.kind ?? 'ok')).toEqual(['ok', 'bad_json', 'bad_json', 'ok']);
	});

	it('reports a file that is not an array, or is cut short', async () => {
		expect((await readAll('"just a string"', 'json'))[0].problem?.kind).toBe('bad_json');
		const cut = await readAll('[{"a":1}, {"b":', 'json');
		expect(cut[0]).toEqual({ line: 1, value: { a: 1 } });
		expect(cut[1].problem?.message).toMatch(/ends in the middle/);
		expect((await readAll('[{"a":1}] trailing', 'json')).at(-1)?.problem?.message).toMatch(/after the closing/);
	});

	it('reads a .json file holding JSON Lines, as the datasets loader does', async () => {
		const records = await readAll('{"a":1}\n{"b":2}\n', 'json');
		expect(records).toEqual([
			{ line: 1, value: { a: 1 } },
			{ line: 2, value: { b: 2 } }
		]);
	});

	it('limits the size of one element', async () => {
		const records = await readAll(`[{"a":"${'x'.repeat(3_000_000)}"}, {"b":1}]`, 'json', 1_000_000);
		expect(records[0].problem?.kind).toBe('line_too_long');
		expect(records[1]).toEqual({ line: 1, value: { b: 1 } });
	});
});

describe('readCsv', () => {
	it('maps columns by header name and parses media and JSON columns', async () => {
		const csv = [
			'\ufeffQuery,response,images,history,label',
			'"Look, <image>",A cat,"[""a.png""]","[[""q0"",""a0""]]",true',
			'two <image><image>,"line one',
			'line two ""quoted""",a.png; b.png,,0',
			''
		].join('\r\n');
		const records = await readAll(csv, 'csv');
		expect(records).toEqual([
			{ line: 2, value: { query: 'Look, <image>', response: 'A cat', images: ['a.png'], history: [['q0', 'a0']], label: true } },
			{ line: 3, value: { query: 'two <image><image>', response: 'line one\r\nline two "quoted"', images: ['a.png', 'b.png'], label: false } }
		]);
	});

	it('reports rows with the wrong number of cells, bad JSON cells and unclosed quotes', async () => {
		const csv = 'query,response,messages\na,b\nq,r,[not json\nq,r,"unclosed\n';
		const records = await readAll(csv, 'csv');
		expect(records.map((r) => [r.line, r.problem?.kind])).toEqual([
			[2, 'bad_csv'],
			[3, 'bad_field_type'],
			[4, 'bad_csv']
		]);
	});

	it('reports an empty file', async () => {
		expect((await readAll('', 'csv'))[0].problem?.kind).toBe('bad_csv');
	});
});
