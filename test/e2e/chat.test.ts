import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnswerStats } from '../../src/lib/shared/chat/chat';
import { QUESTION_TEXT } from '../../src/lib/shared/demo/questionTypes';
import type { GenerationResult, GenerationStarted, MediaKindName } from '../../src/lib/shared/inference';
import type { ModelSummary } from '../../src/lib/shared/models';
import type { ClientToServerEvents, ServerToClientEvents, StreamEvent } from '../../src/lib/shared/realtime';
import { setupAdmin, type ApiClient } from '../helpers/api';
import { launchBrowser, openAdminPage } from '../helpers/browser';
import { saveLongContextModel } from '../helpers/longContextModel';
import { seedTinyDemo } from '../helpers/seedDemo';
import { startServer, tempDataDir, type TestServer } from '../helpers/server';
import { zipFolder } from '../helpers/zip';
import { trainedRun } from '../helpers/trainedRun';

let server: TestServer;
let browser: Browser;
let admin: ApiClient;
/** The demo run's two checkpoints, by step; the chat tests talk to the last. */
let checkpoints: ModelSummary[];
let model: ModelSummary;
/** One demo file of each kind, from the seeded demo set. */
let demoMedia: Record<MediaKindName, string>;

beforeAll(async () => {
	const dataDir = tempDataDir();
	await seedTinyDemo(dataDir);
	server = await startServer({ dataDir });
	admin = await setupAdmin(server.url);
	// A demo-vlm trained for two steps, saving after each: tiny, two checkpoints of one run to compare.
	({ checkpoints } = await trainedRun(admin, { name: 'demo-chat', model: 'demo-vlm', dataset: 'demo', max_steps: 2, per_device_train_batch_size: 2, save_steps: 1, save_total_limit: 2, logging_steps: 1 }, 2));
	expect(checkpoints.map((m) => m.step)).toEqual([1, 2]);
	model = checkpoints[1];
	const media = path.join(dataDir, 'datasets', 'demo', 'media');
	const files = fs.readdirSync(media).sort();
	const first = (extension: string) => path.join(media, files.find((name) => name.endsWith(extension))!);
	demoMedia = { image: first('.png'), audio: first('.wav'), video: first('.mp4') };
	browser = await launchBrowser();
}, 400_000);
afterAll(async () => {
	await browser?.close();
	await server?.stop();
});


const kindOf = (file: string): MediaKindName => (file.endsWith('.png') ? 'image' : file.endsWith('.wav') ? 'audio' : 'video');

/** The greedy answer of the generation API for the same turn and media file, followed over its own socket. */
async function greedyAnswer(modelId: string, question: string, file: string): Promise<string> {
	const kind = kindOf(file);
	const form = new FormData();
	form.append('files', new Blob([fs.readFileSync(file)]), path.basename(file));
	const uploaded = (await (await fetch(`${server.url}/api/uploads`, { method: 'POST', body: form, headers: { cookie: admin.cookie } })).json()) as { files: { id: string }[] };
	const started = await admin.json<GenerationStarted>('POST', '/api/generations', {
		modelId,
		messages: [{ role: 'user', content: `<${kind}>${question}` }],
		media: [{ kind, uploadId: uploaded.files[0].id }],
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

interface SavedMessage {
	id: string;
	role: string;
	parentId: string | null;
	modelId: string | null;
	content: string;
	attachments: { id: string; kind: string }[];
	stats: AnswerStats | null;
}

async function savedMessages(page: Page): Promise<SavedMessage[]> {
	const conversationId = new URL(page.url()).searchParams.get('c')!;
	return (await admin.json<{ messages: SavedMessage[] }>('GET', `/api/chat/conversations/${conversationId}`)).body.messages;
}

/** A fresh chat page with one model picked. */
async function openChat(page: Page, modelId: string) {
	await page.goto(`${server.url}/chat`);
	await expect.poll(() => page.getByTestId('model-picker').locator(`option[value="${modelId}"]`).count()).toBe(1);
	await page.getByTestId('model-picker').selectOption(modelId);
}

/** Attaches a file through the composer's own file input and sends the question once the upload is done. */
async function attachAndSend(page: Page, file: string, question: string) {
	await page.locator('input[type=file]').setInputFiles(file);
	await expect.poll(() => page.locator(`.composer ${{ image: 'img', audio: 'audio', video: 'video' }[kindOf(file)]}`).count()).toBe(1);
	await page.getByLabel('Message', { exact: true }).fill(question);
	await expect.poll(() => page.getByRole('button', { name: 'Send' }).isEnabled()).toBe(true);
	await page.getByRole('button', { name: 'Send' }).click();
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
		const { page, errors } = await openAdminPage(browser, server.url);
		await openChat(page, model.id);
		await setGreedy(page, 24);

		// Attach the demo picture and ask its colour: the answer streams in and is saved with its stats.
		await attachAndSend(page, demoMedia.image, QUESTION_TEXT.imageColour);
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
		expect(detail.messages[1].content).toBe(await greedyAnswer(model.id, QUESTION_TEXT.imageColour, demoMedia.image));

		// Edit the question: a second branch, with its own answer; flip back to the first.
		await page.getByTestId('message-user').getByRole('button', { name: 'Edit' }).click();
		await page.getByLabel('Edit the message').fill('Which colour is it?');
		await page.getByRole('button', { name: 'Send edited' }).click();
		await expect.poll(() => page.getByTestId('branch-switch').first().textContent(), { timeout: 120_000 }).toMatch(/2 \/ 2/);
		await expect.poll(() => page.getByTestId('message-assistant').count(), { timeout: 120_000 }).toBe(1);
		await expect.poll(() => page.getByTestId('message-user').textContent()).toContain('Which colour is it?');
		await page.getByRole('button', { name: 'Previous version' }).first().click();
		await expect.poll(() => page.getByTestId('message-user').textContent()).toContain(QUESTION_TEXT.imageColour);
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

	it('answers about a demo audio clip and a demo video with the generation API\'s greedy answers', async () => {
		const { page, errors } = await openAdminPage(browser, server.url);
		for (const [file, question, element] of [
			[demoMedia.audio, QUESTION_TEXT.audioCount, 'audio'],
			[demoMedia.video, QUESTION_TEXT.videoDirection, 'video']
		] as const) {
			await openChat(page, model.id);
			await setGreedy(page, 24);
			await attachAndSend(page, file, question);
			await expect.poll(() => page.getByTestId('message-assistant').count(), { timeout: 120_000 }).toBe(1);
			expect(await page.getByTestId('message-user').locator(element).count()).toBe(1);
			const [turn, answer] = await savedMessages(page);
			expect(turn.attachments.map((a) => a.kind)).toEqual([kindOf(file)]);
			expect(answer.content).toBe(await greedyAnswer(model.id, question, file));
			expect((await page.getByTestId('answer-text').textContent())!.trim()).toBe(answer.content.trim());
		}
		expect(errors).toEqual([]);
		await page.close();
	}, 300_000);

	it('compares two checkpoints of one run: one message to both, each pane that checkpoint\'s greedy answer', async () => {
		const { page, errors } = await openAdminPage(browser, server.url);
		await openChat(page, model.id);
		await setGreedy(page, 24);
		await page.getByLabel('Compare models side by side').check();
		const choices = page.getByRole('group', { name: 'Models to compare' }).getByRole('checkbox');
		for (const box of await choices.all()) await box.uncheck();
		for (const checkpoint of checkpoints) await page.getByRole('checkbox', { name: checkpoint.name }).check();

		await attachAndSend(page, demoMedia.image, QUESTION_TEXT.imageShape);
		const panes = page.getByTestId('compare').locator('section');
		await expect.poll(() => panes.count(), { timeout: 120_000 }).toBe(2);
		const messages = await savedMessages(page);
		const turn = messages.find((m) => m.role === 'user')!;
		for (const checkpoint of checkpoints) {
			const saved = messages.find((m) => m.parentId === turn.id && m.modelId === checkpoint.id)!;
			expect(saved.content).toBe(await greedyAnswer(checkpoint.id, QUESTION_TEXT.imageShape, demoMedia.image));
			const pane = panes.filter({ has: page.getByRole('heading', { name: checkpoint.name, exact: true }) });
			expect((await pane.locator('.markdown').textContent())!.trim()).toBe(saved.content.trim());
		}
		expect(errors).toEqual([]);
		await page.close();
	}, 300_000);

	it('stops a long generation: it stops growing, is marked stopped, is kept across a reload, and the next message is answered', async () => {
		const { page, errors } = await openAdminPage(browser, server.url);

		// An untrained model with an 8192-token context, imported through the Models page as a zip of its folder.
		const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'swiftboard-long-'));
		const zip = await zipFolder('long-context', await saveLongContextModel(folder));
		fs.rmSync(folder, { recursive: true, force: true });
		await page.goto(`${server.url}/models`);
		await page.getByRole('button', { name: 'Import a model' }).click();
		await page.getByTestId('model-file-input').setInputFiles({ name: 'long-context.zip', mimeType: 'application/zip', buffer: zip });
		await page.getByRole('button', { name: 'Import', exact: true }).click();
		await expect.poll(() => page.getByText('Imported: long-context').count(), { timeout: 60_000 }).toBe(1);
		const long = (await admin.json<{ models: ModelSummary[] }>('GET', '/api/models')).body.models.find((m) => m.name === 'long-context')!;

		// Greedy, past every end-of-answer token, up to 4096 tokens: many seconds of streaming.
		await openChat(page, long.id);
		await setGreedy(page, 4096);
		await page.getByLabel('ignore_eos').check();
		await page.getByLabel('Message', { exact: true }).fill('Tell me a long story.');
		await page.getByRole('button', { name: 'Send' }).click();
		await expect.poll(() => page.getByTestId('streaming-answer').locator('.markdown').count(), { timeout: 60_000 }).toBe(1);
		// The generation is still live when the stop arrives: the server answers 200, not 409 (finished).
		const deleted = page.waitForResponse((response) => response.request().method() === 'DELETE' && response.url().includes('/api/generations/'));
		await page.getByRole('button', { name: 'Stop', exact: true }).click();
		expect((await deleted).status()).toBe(200);

		// The answer ends cancelled, well short of its budget, and is saved with the text streamed so far.
		await expect.poll(() => page.getByTestId('message-assistant').count(), { timeout: 60_000 }).toBe(1);
		expect(await page.getByTestId('streaming-answer').count()).toBe(0);
		expect(await page.getByTestId('answer-stats').textContent()).toContain('stopped');
		const [, stopped] = await savedMessages(page);
		expect(stopped.stats).toMatchObject({ finishReason: 'cancelled' });
		expect(stopped.stats!.completionTokens).toBeGreaterThan(0);
		expect(stopped.stats!.promptTokens).toBeGreaterThan(0);
		expect(stopped.stats!.completionTokens).toBeLessThan(4096);
		expect(stopped.content.length).toBeGreaterThan(0);
		const shown = await page.getByTestId('answer-text').textContent();

		// A reload shows the same stopped answer.
		await page.reload();
		await expect.poll(() => page.getByTestId('message-assistant').count(), { timeout: 30_000 }).toBe(1);
		expect(await page.getByTestId('answer-text').textContent()).toBe(shown);
		expect(await page.getByTestId('answer-stats').textContent()).toContain('stopped');
		expect((await savedMessages(page))[1].content).toBe(stopped.content);

		// The queue slot is free: the next message gets its whole (short) answer.
		await setGreedy(page, 16);
		await page.getByLabel('ignore_eos').check();
		await page.getByLabel('Message', { exact: true }).fill('And then?');
		await page.getByRole('button', { name: 'Send' }).click();
		await expect.poll(() => page.getByTestId('message-assistant').count(), { timeout: 60_000 }).toBe(2);
		const next = (await savedMessages(page)).at(-1)!;
		expect(next.stats).toMatchObject({ finishReason: 'length', completionTokens: 16 });
		expect(errors).toEqual([]);
		await page.close();
	}, 300_000);
});
