import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenerationResult, GenerationStarted } from '../../src/lib/shared/inference';
import type { ModelSummary } from '../../src/lib/shared/models';
import type { ClientToServerEvents, ServerToClientEvents, StreamEvent } from '../../src/lib/shared/realtime';
import type { RunRecord } from '../../src/lib/shared/run/runRecord';
import { setupAdmin, type ApiClient } from '../helpers/api';
import { launchBrowser, signInAsAdmin } from '../helpers/browser';
import { seedTinyDemo } from '../helpers/seedDemo';
import { startServer, tempDataDir, type TestServer } from '../helpers/server';

let server: TestServer;
let browser: Browser;
let admin: ApiClient;
let model: ModelSummary;
let picture: string;

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 240_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await read();
		if (done(value)) return value;
		if (Date.now() > deadline) throw new Error(`timed out; last value: ${JSON.stringify(value).slice(0, 500)}`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

beforeAll(async () => {
	const dataDir = tempDataDir();
	await seedTinyDemo(dataDir);
	server = await startServer({ dataDir });
	admin = await setupAdmin(server.url);
	// A demo-vlm trained for two steps: tiny, and still talkative enough to stop midway.
	const run = { name: 'demo-chat', model: 'demo-vlm', dataset: 'demo', max_steps: 2, per_device_train_batch_size: 2, save_steps: 2, logging_steps: 1 };
	const created = await admin.json<{ run: RunRecord }>('POST', '/api/runs', run);
	expect(created.status, JSON.stringify(created.body)).toBe(201);
	const finished = await waitFor(async () => (await admin.json<{ run: RunRecord }>('GET', `/api/runs/${created.body.run.id}`)).body.run, (r) => !['queued', 'running'].includes(r.status));
	expect(finished.status, finished.error ?? '').toBe('succeeded');
	const models = await waitFor(async () => (await admin.json<{ models: ModelSummary[] }>('GET', '/api/models')).body.models, (list) => list.some((m) => m.runId === finished.id));
	model = models.find((m) => m.runId === finished.id)!;
	const media = path.join(dataDir, 'datasets', 'demo', 'media');
	picture = path.join(media, fs.readdirSync(media).find((name) => name.endsWith('.png'))!);
	browser = await launchBrowser();
}, 400_000);
afterAll(async () => {
	await browser?.close();
	await server?.stop();
});

const signIn = (page: Page) => signInAsAdmin(page, server.url);

/** The greedy answer of the generation API for the same turn and picture, followed over its own socket. */
async function greedyAnswer(question: string): Promise<string> {
	const form = new FormData();
	form.append('files', new Blob([fs.readFileSync(picture)]), 'demo.png');
	const uploaded = (await (await fetch(`${server.url}/api/uploads`, { method: 'POST', body: form, headers: { cookie: admin.cookie } })).json()) as { files: { id: string }[] };
	const started = await admin.json<GenerationStarted>('POST', '/api/generations', {
		modelId: model.id,
		messages: [{ role: 'user', content: `<image>${question}` }],
		media: [{ kind: 'image', uploadId: uploaded.files[0].id }],
		sampling: { temperature: 0, top_k: 0, top_p: 1, repetition_penalty: 1, max_new_tokens: 24 }
	});
	expect(started.status, JSON.stringify(started.body)).toBe(202);
	const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(server.url, { path: '/socket.io', transports: ['websocket'], extraHeaders: { cookie: admin.cookie }, forceNew: true });
	try {
		return await new Promise<string>((resolve, reject) => {
			const take = (event: StreamEvent) => {
				if (event.stream !== started.body.stream) return;
				if (event.type === 'done') resolve((event.data as GenerationResult).text);
				if (event.type === 'error') reject(new Error(JSON.stringify(event.data)));
			};
			socket.on('stream:event', take);
			socket.on('stream:replay', (batch) => batch.events.forEach(take));
			socket.on('connect', () => socket.emit('stream:subscribe', { stream: started.body.stream, afterSeq: 0 }, () => undefined));
		});
	} finally {
		socket.close();
	}
}

async function setGreedy(page: Page, maxNewTokens: number) {
	await page.getByText('Sampling', { exact: true }).click();
	await page.getByLabel('temperature').fill('0');
	await page.getByLabel('top_k').fill('0');
	await page.getByLabel('top_p').fill('1');
	await page.getByLabel('repetition_penalty').fill('1');
	await page.getByLabel('max_new_tokens').fill(String(maxNewTokens));
}

describe('the chat page', () => {
	it('answers a question about a demo picture, edits with branches, and saves a DPO pair with the picture', async () => {
		const page = await browser.newPage();
		const errors: string[] = [];
		page.on('pageerror', (error) => errors.push(error.message));
		await signIn(page);
		await page.goto(`${server.url}/chat`);
		await expect.poll(() => page.getByTestId('model-picker').inputValue()).toBe(model.id);
		await setGreedy(page, 24);

		// Attach the demo picture and ask its colour: the answer streams in and is saved with its stats.
		await page.locator('input[type=file]').setInputFiles(picture);
		await expect.poll(() => page.locator('.composer img').count()).toBe(1);
		await page.getByLabel('Message', { exact: true }).fill('What colour is the shape?');
		await expect.poll(() => page.getByRole('button', { name: 'Send' }).isEnabled()).toBe(true);
		await page.getByRole('button', { name: 'Send' }).click();
		await expect.poll(() => page.getByTestId('message-assistant').count(), { timeout: 120_000 }).toBe(1);
		const answer = (await page.getByTestId('answer-text').first().textContent())!.trim();
		expect(await page.getByTestId('message-user').locator('img').count()).toBe(1);
		expect(await page.getByTestId('answer-stats').first().textContent()).toMatch(/TTFT \d+ ms/);

		// The same request straight to the generation API, greedy too, gives the same text.
		const conversationId = new URL(page.url()).searchParams.get('c')!;
		const detail = (await admin.json<{ messages: { role: string; content: string; attachments: { id: string }[] }[] }>('GET', `/api/chat/conversations/${conversationId}`)).body;
		expect(detail.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
		expect(detail.messages[0].attachments).toHaveLength(1);
		expect(answer.length).toBeGreaterThan(0);
		expect(detail.messages[1].content).toBe(await greedyAnswer('What colour is the shape?'));

		// Edit the question: a second branch, with its own answer; flip back to the first.
		await page.getByTestId('message-user').getByRole('button', { name: 'Edit' }).click();
		await page.getByLabel('Edit the message').fill('Which colour is it?');
		await page.getByRole('button', { name: 'Send edited' }).click();
		await expect.poll(() => page.getByTestId('branch-switch').first().textContent(), { timeout: 120_000 }).toMatch(/2 \/ 2/);
		await expect.poll(() => page.getByTestId('message-assistant').count(), { timeout: 120_000 }).toBe(1);
		await expect.poll(() => page.getByTestId('message-user').textContent()).toContain('Which colour is it?');
		await page.getByRole('button', { name: 'Previous version' }).first().click();
		await expect.poll(() => page.getByTestId('message-user').textContent()).toContain('What colour is the shape?');
		expect((await page.getByTestId('answer-text').textContent())!.trim()).toBe(answer);

		// Improve the answer, then save the pair: the edit is chosen, the model's text rejected.
		await page.getByRole('button', { name: 'Improve answer' }).click();
		await page.getByLabel('Edit the message').fill('The shape is the colour in the picture.');
		await page.getByRole('button', { name: 'Keep this answer' }).click();
		await expect.poll(() => page.getByText('Edited into the ideal answer').count()).toBe(1);
		await page.getByRole('button', { name: 'Save to dataset' }).click();
		await page.getByLabel('DPO pair: this answer is chosen').check();
		await page.getByTestId('save-target').selectOption('');
		await page.getByLabel('New dataset name').fill('chat-pairs');
		await page.getByRole('button', { name: 'Save', exact: true }).click();
		await expect.poll(() => page.getByRole('status').textContent()).toMatch(/Saved as row 1 of chat-pairs/);

		// The dataset page shows the row with its picture.
		const datasets = (await admin.json<{ datasets: { id: string; name: string }[] }>('GET', '/api/datasets')).body.datasets;
		const saved = datasets.find((d) => d.name === 'chat-pairs')!;
		await page.goto(`${server.url}/datasets/${saved.id}`);
		await expect.poll(() => page.getByText('The shape is the colour in the picture.').count(), { timeout: 30_000 }).toBeGreaterThan(0);
		await expect.poll(() => page.locator(`img[src*="/api/datasets/${saved.id}/media/"]`).count()).toBeGreaterThan(0);

		expect(errors).toEqual([]);
	}, 600_000);
});
