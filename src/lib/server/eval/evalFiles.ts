import fs from 'node:fs';
import path from 'node:path';
import type { EvalReport } from '../../shared/eval';
import { evalPredictionSchema, type EvalPrediction } from '../../shared/evalJob';

/**
 * An eval's folder, `evals/<id>/`: `predictions.jsonl` (one line per answered sample, appended as the
 * worker reports them) and `report.json` (the scored report, written once at the end or at import);
 * `swift/` holds what a `swift eval` job wrote (EvalScope's run folders, ms-swift's eval_result.jsonl).
 */
export class EvalFiles {
	readonly dir: string;
	readonly predictions: string;
	readonly report: string;
	/** `swift/`: where `swift eval` writes (its `--eval_output_dir`). */
	readonly swiftOutput: string;

	constructor(dataDir: string, id: string) {
		if (!/^[A-Za-z0-9_-]+$/.test(id)) throw new Error(`Invalid eval id "${id}"`);
		this.dir = path.join(dataDir, 'evals', id);
		this.predictions = path.join(this.dir, 'predictions.jsonl');
		this.report = path.join(this.dir, 'report.json');
		this.swiftOutput = path.join(this.dir, 'swift');
	}

	create(): void {
		fs.mkdirSync(this.dir, { recursive: true });
	}

	appendPredictions(predictions: readonly EvalPrediction[]): void {
		if (predictions.length === 0) return;
		fs.appendFileSync(this.predictions, predictions.map((p) => JSON.stringify(p) + '\n').join(''));
	}

	readPredictions(): EvalPrediction[] {
		if (!fs.existsSync(this.predictions)) return [];
		return fs
			.readFileSync(this.predictions, 'utf8')
			.split('\n')
			.filter((line) => line.trim())
			.map((line) => evalPredictionSchema.parse(JSON.parse(line)));
	}

	writeReport(report: EvalReport): void {
		this.create();
		const tmp = `${this.report}.tmp`;
		fs.writeFileSync(tmp, JSON.stringify(report));
		fs.renameSync(tmp, this.report);
	}

	readReport(): EvalReport | null {
		if (!fs.existsSync(this.report)) return null;
		return JSON.parse(fs.readFileSync(this.report, 'utf8')) as EvalReport;
	}

	remove(): void {
		fs.rmSync(this.dir, { recursive: true, force: true });
	}
}
