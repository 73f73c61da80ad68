import type { StandardRow } from '../../../shared/dataset';
import { problem, type RowProblem } from '../rowProblem';

/** The media and preference fields every format carries the same way, copied onto the standard row. */

const MEDIA_FIELDS = [
	['images', 'image'],
	['audios', 'audio'],
	['videos', 'video'],
	['rejected_images', 'rejected_image']
] as const;

/** A media list may be one string, a list of strings, or a list of `{path}` objects (the Hugging Face layout). */
function readMediaList(value: unknown, field: string, problems: RowProblem[]): string[] | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value === 'string') return value === '' ? [] : [value];
	if (!Array.isArray(value)) {
		problems.push(problem('bad_field_type', field, `"${field}" must be a list of file paths.`));
		return undefined;
	}
	const entries: string[] = [];
	for (let i = 0; i < value.length; i++) {
		const entry: unknown = value[i];
		if (typeof entry === 'string') entries.push(entry);
		else if (typeof entry === 'object' && entry !== null && typeof (entry as { path?: unknown }).path === 'string') {
			entries.push((entry as { path: string }).path);
		} else {
			problems.push(problem('bad_field_type', `${field}[${i}]`, `Each entry of "${field}" must be a file path (text).`));
		}
	}
	return entries;
}

export function copyMediaAndPreferenceFields(source: Record<string, unknown>, row: StandardRow, problems: RowProblem[]): void {
	for (const [plural, singular] of MEDIA_FIELDS) {
		const field = source[plural] !== undefined ? plural : singular;
		const list = readMediaList(source[field], field, problems);
		if (list && list.length > 0) row[plural] = list;
	}

	const rejected = source.rejected_response;
	if (rejected !== undefined && rejected !== null) {
		if (typeof rejected === 'string') row.rejected_response = rejected;
		else problems.push(problem('bad_field_type', 'rejected_response', '"rejected_response" must be text.'));
	}

	const label = source.label;
	if (label !== undefined && label !== null) {
		if (typeof label === 'boolean') row.label = label;
		else if (label === 'true' || label === 'false') row.label = label === 'true';
		else {
			problems.push(
				problem('dpo_missing_rejected', 'label', `A KTO "label" must be true or false, but this row has ${JSON.stringify(label)}.`)
			);
		}
	}
}
