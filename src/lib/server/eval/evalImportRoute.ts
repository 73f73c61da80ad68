import { readFile, stat } from 'node:fs/promises';
import type { EvalReport } from '../../shared/eval';
import { HttpError } from '../http/httpError';
import type { UploadedFile, UploadRoute } from '../uploads/uploadRoutes';
import type { EvalService } from './evalService';
import { parseEvalScopeReport } from './report/evalscopeImport';
import { ReportImportError } from './report/importFields';
import { importSwiftEvalResults } from './report/swiftImport';

const MAX_REPORT_BYTES = 64 * 1024 * 1024;

/**
 * An uploaded report file -> reports: `*.jsonl` is ms-swift's `eval_result.jsonl`, `*.json` an EvalScope
 * report (`reports/<model>/<dataset>.json`).
 */
async function reportsOf(file: UploadedFile): Promise<EvalReport[]> {
	const name = file.originalName;
	if (name.endsWith('.jsonl')) return importSwiftEvalResults(file.path, name);
	if (!name.endsWith('.json')) throw new ReportImportError(name, null, 'is neither an EvalScope report (.json) nor an ms-swift eval_result.jsonl');
	if ((await stat(file.path)).size > MAX_REPORT_BYTES) throw new ReportImportError(name, null, 'is larger than a report can be');
	let data: unknown;
	try {
		data = JSON.parse(await readFile(file.path, 'utf8'));
	} catch (error) {
		throw new ReportImportError(name, null, `is not valid JSON (${(error as Error).message})`);
	}
	// Uploads keep only the file name, so the model falls back to the report's own `model_name`.
	return [parseEvalScopeReport(data, name, { dataset: name.replace(/\.json$/, '') })];
}

/** POST /api/evals/import: EvalScope report files or an ms-swift eval_result.jsonl; 201 with the new evals. */
export function evalImportRoute(service: EvalService): UploadRoute {
	return {
		path: '/api/evals/import',
		capability: 'write',
		handle: async ({ user, files }) => {
			if (files.length === 0) throw new HttpError('invalid_request', 'Send an EvalScope report (.json) or an ms-swift eval_result.jsonl.', { files: 'Required' });
			const reports: EvalReport[] = [];
			const errors: { file: string; message: string }[] = [];
			for (const file of files) {
				try {
					reports.push(...(await reportsOf(file)));
				} catch (error) {
					if (!(error instanceof ReportImportError)) throw error;
					errors.push({ file: file.originalName, message: error.message });
				}
			}
			if (reports.length === 0) throw new HttpError('unprocessable', errors.map((e) => e.message).join('; '), Object.fromEntries(errors.map((e) => [e.file, e.message])));
			return { status: 201, body: { evals: service.addImported(reports, user), errors } };
		}
	};
}
