import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelSummary } from '../../src/lib/shared/models';
import type { RunRecord } from '../../src/lib/shared/run/runRecord';
import { adminCredentials, setupAdmin } from '../helpers/api';
import { launchBrowser } from '../helpers/browser';
import { arithmeticRows, seedDataset } from '../helpers/seedDataset';
import { seedTinyDemo } from '../helpers/seedDemo';
import { startServer, tempDataDir, type TestServer } from '../helpers/server';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
	const dataDir = tempDataDir();
	seedDataset(dataDir, 'arith', arithmeticRows(64));
	await seedTinyDemo(dataDir);
	server = await startServer({ dataDir });
	await setupAdmin(server.url);
	browser = await launchBrowser();
}, 120_000);
afterAll(async () => {
	await browser?.close();
	await server?.stop();
});

async function signIn(page: Page) {
	await page.goto(`${server.url}/login`);
	await page.getByLabel('Username').fill(adminCredentials.username);
	await page.getByLabel('Password').fill(adminCredentials.password);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await page.waitForURL((url) => url.pathname !== '/login');
}

const lossPoints = (page: Page) => page.getByTestId('chart-loss').getAttribute('data-points').then(Number);
const runStatus = (page: Page) => page.getByTestId('run-status').textContent();

/** What the page's own session sees of the API. */
function apiGet<T>(page: Page, path: string): Promise<T> {
	return page.evaluate(async (url) => (await fetch(url)).json(), path) as Promise<T>;
}
const runIdOf = (page: Page) => new URL(page.url()).pathname.split('/').pop()!;

describe('the Models page', () => {
	it('starts the demo model from an empty page; a stopped and resumed run\'s checkpoint becomes a model to train from', async () => {
		const page = await browser.newPage();
		const errors: string[] = [];
		page.on('pageerror', (error) => errors.push(error.message));
		await signIn(page);

		// Empty: only the presets, and the offer to train the demo model, which opens its run page live.
		await page.goto(`${server.url}/models`);
		await expect.poll(() => page.getByTestId('model-row').count()).toBe(3);
		await page.getByRole('button', { name: 'Train the demo model' }).click();
		await page.waitForURL(/\/runs\/[\w-]+$/);
		const demoRun = (await apiGet<{ run: RunRecord }>(page, `/api/runs/${runIdOf(page)}`)).run;
		expect(demoRun.config).toMatchObject({ model: 'demo-vlm', dataset: 'demo', val_dataset: 'demo-val' });
		await expect.poll(() => lossPoints(page), { timeout: 120_000 }).toBeGreaterThan(0);
		await page.getByRole('button', { name: 'Stop' }).click();
		await expect.poll(() => runStatus(page), { timeout: 60_000 }).toMatch(/stopped|succeeded/);

		// A text run with checkpoints: stop, resume, and the chart continues.
		await page.goto(`${server.url}/train`);
		await page.getByLabel('Run name').fill('arith-full');
		await page.locator('#model').selectOption('nano');
		await page.locator('#dataset').selectOption('arith');
		await page.locator('#val_dataset').selectOption('');
		await page.locator('#tuner').selectOption('full');
		await page.locator('#max_steps').fill('2000');
		await page.locator('#max_length').fill('64');
		await page.locator('#save_steps').fill('5');
		await page.locator('#learning_rate').fill('0.003');
		await page.locator('#logging_steps').fill('1');
		await page.getByRole('button', { name: 'Start training' }).click();
		await page.waitForURL(/\/runs\/[\w-]+$/);
		const runId = runIdOf(page);
		await expect.poll(() => lossPoints(page), { timeout: 60_000 }).toBeGreaterThan(6);
		await page.getByRole('button', { name: 'Stop' }).click();
		await expect.poll(() => runStatus(page), { timeout: 60_000 }).toBe('stopped');
		const pointsAtStop = await lossPoints(page);
		await page.getByRole('button', { name: 'Resume' }).click();
		await expect.poll(() => runStatus(page), { timeout: 30_000 }).toBe('running');
		await expect.poll(() => lossPoints(page), { timeout: 60_000 }).toBeGreaterThan(pointsAtStop + 2);
		await page.getByRole('button', { name: 'Stop' }).click();
		await expect.poll(() => runStatus(page), { timeout: 60_000 }).toBe('stopped');

		// Its checkpoints are on the Models page, with provenance and a link back to the run.
		await page.goto(`${server.url}/models`);
		const rows = page.locator(`[data-testid="model-row"][data-kind="checkpoint"]`);
		await expect.poll(() => rows.count(), { timeout: 30_000 }).toBeGreaterThan(0);
		const { models } = await apiGet<{ models: ModelSummary[] }>(page, '/api/models');
		const latest = models.filter((m) => m.runId === runId).sort((a, b) => (b.step ?? 0) - (a.step ?? 0))[0];
		const row = page.locator(`[data-model-id="${latest.id}"]`);
		expect(await row.getByRole('link', { name: 'arith-full' }).getAttribute('href')).toBe(`/runs/${runId}`);
		expect(await row.getByTestId('modalities').textContent()).toContain('text');

		// Train from it: the form opens on that checkpoint with a LoRA run, the command names its folder.
		await row.getByRole('link', { name: 'Train from this model' }).click();
		await page.waitForURL(/\/train\?model=/);
		expect(await page.locator('#model').inputValue()).toBe(latest.id);
		expect(await page.locator('#tuner').inputValue()).toBe('lora');
		await expect.poll(() => page.getByTestId('command-preview').textContent()).toContain(`--model runs/${runId}/checkpoint-${latest.step}`);
		await page.locator('#max_steps').fill('5');
		await page.getByRole('button', { name: 'Start training' }).click();
		await page.waitForURL(/\/runs\/[\w-]+$/);
		const loraRun = (await apiGet<{ run: RunRecord }>(page, `/api/runs/${runIdOf(page)}`)).run;
		expect(loraRun.config).toMatchObject({ model: latest.id, tuner_type: 'lora' });

		expect(errors).toEqual([]);
		await page.close();
	});
});
