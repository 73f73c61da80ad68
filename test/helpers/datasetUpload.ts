import fs from 'node:fs';
import type { ApiClient } from './api';

export interface UploadAnswer {
	dataset: { id: string; rowCount: number } | null;
	summary: { files: { format: string | null }[] };
	errors: { file: string; line: number | null; kind: string; message: string }[];
	error?: { code: string; message: string };
}

/** A file to send: in memory, or (for large ones) read from disk as it is sent. */
export type UploadPart = { name: string; data: string | Buffer } | { name: string; path: string };

/** POST /api/datasets with the given files and form fields. */
export async function uploadDataset(baseUrl: string, client: ApiClient, files: UploadPart[], fields: Record<string, string> = {}) {
	const form = new FormData();
	for (const [key, value] of Object.entries(fields)) form.append(key, value);
	for (const file of files) {
		const blob = 'path' in file ? await fs.openAsBlob(file.path) : new Blob([typeof file.data === 'string' ? file.data : new Uint8Array(file.data)]);
		form.append('files', blob, file.name);
	}
	const response = await fetch(`${baseUrl}/api/datasets`, { method: 'POST', body: form, headers: { cookie: client.cookie } });
	return { status: response.status, body: (await response.json()) as UploadAnswer };
}

/** Writes one JSONL line of about `bytes` bytes (a single huge message) without holding it in memory. */
export async function writeLongLine(file: string, bytes: number): Promise<void> {
	const out = fs.createWriteStream(file);
	const write = (chunk: string) => new Promise<void>((resolve, reject) => out.write(chunk, (error) => (error ? reject(error) : resolve())));
	await write('{"messages":[{"role":"user","content":"');
	const piece = 'a'.repeat(1024 * 1024);
	for (let sent = 0; sent < bytes; sent += piece.length) await write(piece);
	await write('"},{"role":"assistant","content":"b"}]}\n');
	await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

/** Resident memory of a process now, from /proc (Linux), in bytes. */
export function rssBytes(pid: number): number {
	const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
	return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

/** Samples a process's RSS every few ms while `work` runs; returns its result and the growth over the start. */
export async function measureRssGrowth<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; growthBytes: number }> {
	const start = rssBytes(pid);
	let peak = start;
	const timer = setInterval(() => {
		peak = Math.max(peak, rssBytes(pid));
	}, 10);
	try {
		const result = await work();
		peak = Math.max(peak, rssBytes(pid));
		return { result, growthBytes: peak - start };
	} finally {
		clearInterval(timer);
	}
}
