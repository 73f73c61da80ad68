/**
 * Field readers for imported report files: each names the file and the field path in its error, so a report
 * that fails to load says exactly where (`reports/qwen/gsm8k.json: metrics[0].categories[1].score must be a
 * number, got "n/a"`).
 */

export class ReportImportError extends Error {
	constructor(
		readonly file: string,
		readonly field: string | null,
		detail: string
	) {
		super(`${file}: ${field === null ? '' : `${field} `}${detail}`);
		this.name = 'ReportImportError';
	}
}

export type JsonObject = Record<string, unknown>;

export const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

const describe = (value: unknown) => (value === undefined ? 'nothing' : JSON.stringify(value)?.slice(0, 60) ?? String(value));

export class FieldReader {
	constructor(readonly file: string) {}

	fail(field: string | null, detail: string): never {
		throw new ReportImportError(this.file, field, detail);
	}

	/** `field` null means the whole file. */
	object(value: unknown, field: string | null): JsonObject {
		return isObject(value) ? value : this.fail(field, `must be an object, got ${describe(value)}`);
	}

	array(value: unknown, field: string): unknown[] {
		return Array.isArray(value) ? value : this.fail(field, `must be a list, got ${describe(value)}`);
	}

	string(value: unknown, field: string): string {
		return typeof value === 'string' ? value : this.fail(field, `must be a string, got ${describe(value)}`);
	}

	number(value: unknown, field: string): number {
		return typeof value === 'number' && Number.isFinite(value) ? value : this.fail(field, `must be a number, got ${describe(value)}`);
	}

	count(value: unknown, field: string): number {
		const n = this.number(value, field);
		return Number.isInteger(n) && n >= 0 ? n : this.fail(field, `must be a whole number >= 0, got ${n}`);
	}

	/** The first of several accepted keys that is present (older EvalScope wrote `category`/`subset`). */
	pick(object: JsonObject, keys: readonly string[]): { key: string; value: unknown } | null {
		for (const key of keys) if (object[key] !== undefined && object[key] !== null) return { key, value: object[key] };
		return null;
	}
}
