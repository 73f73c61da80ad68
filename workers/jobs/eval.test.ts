import { describe, expect, it } from 'vitest';
import type { TrainRow } from '../../src/lib/engine/train/index';
import { splitRows } from './datasetRows';
import { selectRows } from './evalRows';

const rows: TrainRow[] = Array.from({ length: 20 }, (_, i) => ({ messages: [{ role: 'user', content: `q${i}` }, { role: 'assistant', content: `a${i}` }] }));

describe('selectRows', () => {
	it('takes the rows the server named, keeping their positions', () => {
		expect(selectRows(rows, { method: 'rows', rows: [3, 7, 19, 25] }, 0).map((r) => r.row)).toEqual([3, 7, 19]);
	});

	it("holds out the run's validation rows as its trainer did", () => {
		const { val } = splitRows(rows, 0.25, 42);
		const chosen = selectRows(rows, { method: 'run-shuffle', part: 'validation', ratio: 0.25, seed: 42 }, 0);
		expect(chosen.map((r) => r.data)).toEqual(val);
		expect(chosen.every((r) => rows[r.row] === r.data)).toBe(true);
	});

	it('cuts to the sample limit', () => {
		expect(selectRows(rows, { method: 'all' }, 5).map((r) => r.row)).toEqual([0, 1, 2, 3, 4]);
	});
});
