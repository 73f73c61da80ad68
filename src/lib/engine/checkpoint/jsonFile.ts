import { readFile, rename, writeFile } from 'node:fs/promises';

/** Writes pretty JSON (as HF does, so diffs of configs stay readable) via a rename, never half-written. */
export async function writeJsonFile(path: string, value: unknown): Promise<void> {
	const partialPath = `${path}.partial`;
	await writeFile(partialPath, `${JSON.stringify(value, null, 2)}\n`, 'utf8');
	await rename(partialPath, path);
}

/** Reads a file that must hold one JSON object; errors name the file. */
export async function readJsonObject(path: string): Promise<Record<string, unknown>> {
	const text = await readFile(path, 'utf8');
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch (error) {
		throw new Error(`${path} is not valid JSON: ${(error as Error).message}`);
	}
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		throw new Error(`${path} must hold a JSON object`);
	}
	return parsed as Record<string, unknown>;
}
