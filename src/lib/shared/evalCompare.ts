import type { EvalReport } from './eval';

/**
 * Several reports side by side: each metric's score per report, each tag bucket's score per report with
 * its delta from the first report, and the samples the reports disagree on (pass in one, fail in another,
 * at a threshold on the first metric they share). Samples pair up by a key: the dataset row where known,
 * the position in the report otherwise.
 */

export interface CompareInput {
	label: string;
	report: EvalReport;
	/** Per sample (by report index), the key to pair it on; the index when absent. */
	keys?: (string | number)[];
}

export interface CompareRow {
	name: string;
	/** One value per report, null where a report lacks it. */
	values: (number | null)[];
	/** values[i] - values[0]; null where either is missing. */
	deltas: (number | null)[];
}

export interface DisagreeingSample {
	key: string;
	/** One per report, null where a report has no sample with that key. */
	samples: ({ prediction: string; references: string[]; score: number | null; passed: boolean | null } | null)[];
}

export interface Comparison {
	metric: string | null;
	metrics: CompareRow[];
	/** `by` (e.g. `tag:question_type`) -> rows for each bucket value. */
	breakdowns: { by: string; rows: CompareRow[] }[];
	disagreements: DisagreeingSample[];
}

function row(name: string, values: (number | null)[]): CompareRow {
	return { name, values, deltas: values.map((v) => (v === null || values[0] === null ? null : v - (values[0] as number))) };
}

export function compareReports(inputs: readonly CompareInput[], threshold = 0.99, maxDisagreements = 200): Comparison {
	const metricNames = [...new Set(inputs.flatMap((i) => i.report.metrics.map((m) => m.name)))];
	const metrics = metricNames.map((name) => row(name, inputs.map((i) => i.report.metrics.find((m) => m.name === name)?.score ?? null)));
	const shared = metricNames.find((name) => inputs.every((i) => i.report.metrics.some((m) => m.name === name))) ?? null;
	const breakdowns: Comparison['breakdowns'] = [];
	if (shared) {
		const bys = [...new Set(inputs.flatMap((i) => i.report.metrics.find((m) => m.name === shared)!.breakdowns.map((b) => b.by)))];
		for (const by of bys) {
			const values = [...new Set(inputs.flatMap((i) => i.report.metrics.find((m) => m.name === shared)!.breakdowns.find((b) => b.by === by)?.buckets.map((b) => b.value) ?? []))].sort();
			breakdowns.push({
				by,
				rows: values.map((value) => row(value, inputs.map((i) => i.report.metrics.find((m) => m.name === shared)!.breakdowns.find((b) => b.by === by)?.buckets.find((b) => b.value === value)?.score ?? null)))
			});
		}
	}
	const disagreements: DisagreeingSample[] = [];
	if (shared) {
		const byKey = inputs.map((input) => new Map(input.report.samples.map((s) => [String(input.keys?.[s.index] ?? s.index), s])));
		const keys = [...new Set(byKey.flatMap((m) => [...m.keys()]))];
		for (const key of keys) {
			const samples = byKey.map((m) => {
				const s = m.get(key);
				if (!s) return null;
				const score = s.scores[shared] ?? null;
				return { prediction: s.prediction, references: s.references, score, passed: score === null ? null : score >= threshold };
			});
			const outcomes = new Set(samples.flatMap((s) => (s && s.passed !== null ? [s.passed] : [])));
			if (outcomes.size > 1) disagreements.push({ key, samples });
			if (disagreements.length >= maxDisagreements) break;
		}
	}
	return { metric: shared, metrics, breakdowns, disagreements };
}
