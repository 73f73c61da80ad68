import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '$lib/shared/realtime';
import { RUN_HISTORY_PAGE, type RunHistoryPage } from '$lib/shared/run/runHistory';
import { readRunHistory } from './runHistory';

/** A stand-in for GET /api/runs/:id/metrics over `total` events: the route's paging rule on an array. */
function historyServer(total: number, limit = RUN_HISTORY_PAGE) {
	const all: StreamEvent[] = Array.from({ length: total }, (_, i) => ({ stream: 'run:r1', seq: i + 1, type: 'metrics', at: i, data: { step: i + 1 } }));
	const asked: string[] = [];
	const fetchPage = (path: string): Promise<RunHistoryPage> => {
		asked.push(path);
		const after = Number(new URL(path, 'http://x').searchParams.get('after'));
		const events = all.filter((e) => e.seq > after).slice(0, limit);
		const lastSeq = events.at(-1)?.seq ?? after;
		return Promise.resolve({ events, lastSeq, nextAfter: lastSeq < total ? lastSeq : null });
	};
	return { fetchPage, asked };
}

describe('readRunHistory', () => {
	it('reads a history longer than one page completely and in order', async () => {
		const total = 2 * RUN_HISTORY_PAGE + 123;
		const { fetchPage, asked } = historyServer(total);
		const seen: number[] = [];
		const reached = await readRunHistory('r1', fetchPage, (events) => seen.push(...events.map((e) => e.seq)));
		expect(seen).toEqual(Array.from({ length: total }, (_, i) => i + 1));
		expect(reached).toBe(total);
		expect(asked).toEqual(['/api/runs/r1/metrics?after=0', `/api/runs/r1/metrics?after=${RUN_HISTORY_PAGE}`, `/api/runs/r1/metrics?after=${2 * RUN_HISTORY_PAGE}`]);
	});

	it('starts after the given sequence number and stops between pages when cancelled', async () => {
		const { fetchPage, asked } = historyServer(50, 10);
		let pages = 0;
		const reached = await readRunHistory('r1', fetchPage, () => pages++, { afterSeq: 5, cancelled: () => pages === 2 });
		expect(asked[0]).toBe('/api/runs/r1/metrics?after=5');
		expect(pages).toBe(2);
		expect(reached).toBe(25);
	});
});
