import { createReadStream } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { splitLines } from '../lineSplitter';
import { prepareTextRow } from '../prepareRow';
import type { RowProblem } from '../rowProblem';
import { isPlainObject } from '../sourceRecord';
import { ItemKind, type RangeAck, type RangeBatch, type RangeMessage, type RangeTask } from './rangeProtocol';

/**
 * Worker thread: reads one byte range of a JSONL file and prepares its rows (parse, convert, validate,
 * measure, serialise), posting one batch per chunk. It keeps at most a few batches unacknowledged so a
 * worker ahead of the import cannot fill memory.
 */

const MAX_UNACKNOWLEDGED = 3;

function blank(text: string): boolean {
	return text.length === 0 || text.trim().length === 0;
}

async function run(port: NonNullable<typeof parentPort>, task: RangeTask): Promise<void> {
	let unacknowledged = 0;
	let wake: (() => void) | null = null;
	port.on('message', (message: RangeAck) => {
		if (message.type !== 'ack') return;
		unacknowledged--;
		wake?.();
		wake = null;
	});

	const limits = { maxFieldChars: task.maxFieldChars };
	let lastLine = 0;
	let bytes = 0;
	const stream = createReadStream(task.path, { start: task.start, end: task.end - 1, highWaterMark: 1 << 18 });
	for await (const lines of splitLines(stream, task.maxRecordBytes, (n) => (bytes += n))) {
		const kinds: number[] = [];
		const lineNumbers: number[] = [];
		const json: string[] = [];
		const measures: number[] = [];
		const problems: RowProblem[][] = [];
		const texts: string[] = [];
		const formats: Record<string, number> = {};
		const fail = (line: number, found: RowProblem[]) => {
			kinds.push(ItemKind.Problems);
			lineNumbers.push(line);
			problems.push(found);
		};
		for (const { lineNumber, text, byteLength } of lines) {
			lastLine = lineNumber;
			if (text === null) {
				fail(lineNumber, [{ kind: 'line_too_long', field: null, message: `This line is ${byteLength} bytes, more than the limit of ${task.maxRecordBytes} bytes, so it was skipped.` }]);
				continue;
			}
			if (blank(text)) continue;
			let value: unknown;
			try {
				value = JSON.parse(text);
			} catch (error) {
				fail(lineNumber, [{ kind: 'bad_json', field: null, message: `This line is not valid JSON: ${error instanceof Error ? error.message : String(error)}.` }]);
				continue;
			}
			if (!isPlainObject(value)) {
				fail(lineNumber, [{ kind: 'bad_json', field: null, message: 'Each line must be one JSON object ({...}).' }]);
				continue;
			}
			const prepared = prepareTextRow(value, text, limits);
			if (prepared.type === 'deferred') {
				kinds.push(ItemKind.Deferred);
				lineNumbers.push(lineNumber);
				texts.push(text);
				continue;
			}
			if (prepared.format) formats[prepared.format] = (formats[prepared.format] ?? 0) + 1;
			if (prepared.type === 'problems') {
				fail(lineNumber, prepared.problems);
				continue;
			}
			kinds.push(ItemKind.Stored);
			lineNumbers.push(lineNumber);
			json.push(prepared.json);
			measures.push(prepared.measure.tokens, prepared.measure.messages, prepared.measure.turns);
		}
		const batch: RangeBatch = {
			type: 'batch',
			bytes,
			formats,
			kinds: Uint8Array.from(kinds),
			lines: Uint32Array.from(lineNumbers),
			json,
			measures: Uint32Array.from(measures),
			problems,
			texts
		};
		bytes = 0;
		unacknowledged++;
		port.postMessage(batch satisfies RangeMessage);
		if (unacknowledged >= MAX_UNACKNOWLEDGED) await new Promise<void>((resolve) => (wake = resolve));
	}
	if (bytes > 0) port.postMessage({ type: 'batch', bytes, formats: {}, kinds: new Uint8Array(0), lines: new Uint32Array(0), json: [], measures: new Uint32Array(0), problems: [], texts: [] } satisfies RangeMessage);
	port.postMessage({ type: 'done', lines: lastLine } satisfies RangeMessage);
	port.close();
}

if (parentPort) await run(parentPort, workerData as RangeTask);
