import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelSummary } from '../../src/lib/shared/models';
import { setupAdmin, type ApiClient } from '../helpers/api';
import { launchBrowser, openAdminPage } from '../helpers/browser';
import { OpenAITestServer } from '../helpers/openaiTestServer';
import { seedTinyDemo } from '../helpers/seedDemo';
import { startServer, tempDataDir, type TestServer } from '../helpers/server';
import { trainedRun } from '../helpers/trainedRun';

let upstream: OpenAITestServer;
let server: TestServer;
let browser: Browser;
let admin: ApiClient;
let model: ModelSummary;

beforeAll(async () => {
	upstream = await OpenAITestServer.start({ apiKey: 'sk-e2e-key', models: ['served-vlm', 'served-other'] });
	const dataDir = tempDataDir();
	await seedTinyDemo(dataDir);
	server = await startServer({ dataDir });
	admin = await setupAdmin(server.url);
	// A built-in model to compare the endpoint with: demo-vlm after two steps.
	[model] = (await trainedRun(admin, { name: 'demo-chat', model: 'demo-vlm', dataset: 'demo', max_steps: 2, per_device_train_batch_size: 2, save_steps: 2, logging_steps: 1 })).checkpoints;
	browser = await launchBrowser();
}, 400_000);
afterAll(async () => {
	await browser?.close();
	await server?.stop();
	await upstream?.close();
});

async function send(page: Page, text: string) {
	await page.getByLabel('Message', { exact: true }).fill(text);
	await expect.poll(() => page.getByRole('button', { name: 'Send' }).isEnabled()).toBe(true);
	await page.getByRole('button', { name: 'Send' }).click();
}

describe('an OpenAI-compatible endpoint in the playground', () => {
	it('is registered from the Models page, answers in the chat, and is compared side by side with a built-in model', async () => {
		const { page, errors } = await openAdminPage(browser, server.url);

		// Register it: the form lists the server's models (with the key), the admin picks one.
		await page.goto(`${server.url}/models`);
		await page.getByTestId('add-endpoint').click();
		const form = page.getByTestId('endpoint-form');
		await form.getByLabel('Name').fill('Served VLM');
		await form.getByLabel('Base URL').fill(`${upstream.url}/v1`);
		await form.getByLabel('API key').fill('sk-e2e-key');
		await form.getByTestId('discover-models').click();
		await expect.poll(() => form.getByTestId('endpoint-model').locator('option').allTextContents()).toEqual(['served-vlm', 'served-other']);
		await form.getByTestId('endpoint-model').selectOption('served-vlm');
		await form.getByRole('checkbox', { name: 'image', exact: true }).check();
		await form.getByTestId('save-endpoint').click();
		const row = page.getByTestId('endpoint-row');
		await expect.poll(() => row.count()).toBe(1);
		await expect.poll(() => row.getByTestId('endpoint-health').textContent()).toMatch(/up/);
		expect(await row.textContent()).toContain('served-vlm');
		expect(await page.content()).not.toContain('sk-e2e-key');

		// Chat with it: the answer streams in through the same events and is saved with its stats.
		await page.goto(`${server.url}/chat`);
		const endpointOption = page.getByTestId('model-picker').locator('optgroup[label="Endpoints"] option');
		await expect.poll(() => endpointOption.textContent()).toContain('Served VLM');
		await page.getByTestId('model-picker').selectOption({ value: (await endpointOption.getAttribute('value'))! });
		await send(page, 'Hello endpoint');
		await expect.poll(() => page.getByTestId('message-assistant').count(), { timeout: 60_000 }).toBe(1);
		expect((await page.getByTestId('answer-text').textContent())!.trim()).toBe('You said: Hello endpoint');
		expect(await page.getByTestId('answer-stats').textContent()).toMatch(/Served VLM.*TTFT \d+ ms.*7 → 4/s);
		expect(upstream.chatRequests().at(-1)!.authorization).toBe('Bearer sk-e2e-key');

		// A stream that breaks off keeps the text that came: saved as far as it came, marked incomplete with the server's failure.
		upstream.behave({ reply: 'one two three four', dropAfter: 2 });
		await send(page, 'Break off please');
		await expect.poll(() => page.getByTestId('message-assistant').count(), { timeout: 30_000 }).toBe(2);
		const cutOff = () => page.getByTestId('message-assistant').last();
		expect((await cutOff().getByTestId('answer-text').textContent())!.trim()).toBe('one two');
		expect(await cutOff().getByTestId('answer-cut-off').textContent()).toMatch(/incomplete: .*broke off after 8 characters.*the server closed the connection/);
		await page.reload();
		await expect.poll(() => cutOff().getByTestId('answer-cut-off').count(), { timeout: 30_000 }).toBe(1);
		expect((await cutOff().getByTestId('answer-text').textContent())!.trim()).toBe('one two');
		upstream.behave({});

		// Compare it with the built-in model: both answer the same turn side by side.
		await page.getByLabel('Compare models side by side').check();
		await page.getByText('Sampling', { exact: true }).click();
		await page.getByLabel('max_new_tokens').fill('8');
		for (const name of ['Served VLM', model.name]) {
			const box = page.getByRole('checkbox', { name: new RegExp(name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) });
			if (!(await box.isChecked())) await box.check();
		}
		await send(page, 'Which one is better?');
		const compare = page.getByTestId('compare');
		await expect.poll(() => compare.locator('section').count(), { timeout: 180_000 }).toBe(2);
		const columns = await compare.locator('section').allTextContents();
		expect(columns.some((c) => c.includes('Served VLM') && c.includes('You said: Which one is better?'))).toBe(true);
		expect(columns.some((c) => c.includes(model.name))).toBe(true);
		expect(upstream.chatRequests().at(-1)!.body).toMatchObject({ model: 'served-vlm', max_tokens: 8, stream: true });
		expect(errors).toEqual([]);
	}, 600_000);
});
