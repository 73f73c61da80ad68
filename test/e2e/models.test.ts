import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelSummary } from '../../src/lib/shared/models';
import type { RunRecord } from '../../src/lib/shared/run/runRecord';
import { setupAdmin } from '../helpers/api';
import { launchBrowser, openAdminPage } from '../helpers/browser';
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


const lossPoints = (page: Page) => page.getByTestId('chart-loss').getAttribute('data-points').then(Number);
const runStatus = (page: Page) => page.getByTestId('run-status').textContent();

/** What the page's own session sees of the API. */
function apiGet<T>(page: Page, path: string): Promise<T> {
	return page.evaluate(async (url) => (await fetch(url)).json(), path) as Promise<T>;
}
const runIdOf = (page: Page) => new URL(page.url()).pathname.split('/').pop()!;

describe('the Models page', () => {
	it('trains the demo model from an empty page; after stop and resume its checkpoint is a model to train a LoRA run from', async () => {
		const { page, errors } = await openAdminPage(browser, server.url);

		// Empty: only the presets, and the offer to train the demo model, which opens its run page live.
		await page.goto(`${server.url}/models`);
		await expect.poll(() => page.getByTestId('model-row').count()).toBe(3);
		await page.getByRole('button', { name: 'Train the demo model' }).click();
		await page.waitForURL(/\/runs\/[\w-]+$/);
		const runId = runIdOf(page);
		const demoRun = (await apiGet<{ run: RunRecord }>(page, `/api/runs/${runId}`)).run;
		expect(demoRun.config).toMatchObject({ model: 'demo-vlm', dataset: 'demo', val_dataset: 'demo-val' });
		await expect.poll(() => lossPoints(page), { timeout: 120_000 }).toBeGreaterThan(1);

		// Stop (a checkpoint is saved), resume, and the chart continues from there.
		await page.getByRole('button', { name: 'Stop' }).click();
		await expect.poll(() => runStatus(page), { timeout: 60_000 }).toBe('stopped');
		const pointsAtStop = await lossPoints(page);
		// The run page offers the ms-swift command that continues it.
		await expect.poll(() => page.getByTestId('command-preview').textContent(), { timeout: 30_000 }).toContain(`--resume_from_checkpoint runs/${runId}/checkpoint-`);
		await page.getByRole('button', { name: 'Resume' }).click();
		await expect.poll(() => runStatus(page), { timeout: 30_000 }).toBe('running');
		await expect.poll(() => lossPoints(page), { timeout: 120_000 }).toBeGreaterThan(pointsAtStop);
		await page.getByRole('button', { name: 'Stop' }).click();
		await expect.poll(() => runStatus(page), { timeout: 60_000 }).toMatch(/stopped|succeeded/);

		// Its last checkpoint is registered (described in the inspector thread), then shown on the Models page.
		const lastCheckpoint = (await apiGet<{ run: RunRecord }>(page, `/api/runs/${runId}`)).run.lastCheckpoint ?? '';
		const lastStep = Number(/checkpoint-(\d+)$/.exec(lastCheckpoint)?.[1]);
		expect(lastStep).toBeGreaterThan(0);
		const registered = async () => (await apiGet<{ models: ModelSummary[] }>(page, '/api/models')).models.find((m) => m.runId === runId && m.step === lastStep);
		await expect.poll(registered, { timeout: 30_000 }).toBeTruthy();
		const latest = (await registered())!;
		await page.goto(`${server.url}/models`);
		expect(await page.getByTestId('models-empty').count()).toBe(0);
		expect(latest).toMatchObject({ kind: 'checkpoint', architecture: 'multimodal', format: 'full', baseModelId: 'demo-vlm' });
		const row = page.locator(`[data-model-id="${latest.id}"]`);
		expect(await row.getByRole('link', { name: 'demo-model' }).getAttribute('href')).toBe(`/runs/${runId}`);
		expect(await row.getByTestId('modalities').textContent()).toMatch(/text.*image.*audio.*video/s);

		// Train from it: the form opens on that checkpoint with a LoRA run, the command names its folder.
		await row.getByRole('link', { name: 'Train from this model' }).click();
		await page.waitForURL(/\/train\?model=/);
		expect(await page.locator('#model').inputValue()).toBe(latest.id);
		expect(await page.locator('#tuner').inputValue()).toBe('lora');
		await expect.poll(() => page.getByTestId('command-preview').textContent()).toContain(`--model runs/${runId}/checkpoint-${latest.step}`);
		await page.locator('#max_steps').fill('2');
		await page.getByRole('button', { name: 'Start training' }).click();
		await page.waitForURL(/\/runs\/[\w-]+$/);
		const loraId = runIdOf(page);
		const loraRun = (await apiGet<{ run: RunRecord }>(page, `/api/runs/${loraId}`)).run;
		expect(loraRun.config).toMatchObject({ model: latest.id, tuner_type: 'lora', dataset: 'demo' });
		// It trains from the checkpoint's weights and finishes.
		await expect.poll(() => runStatus(page), { timeout: 120_000 }).toBe('succeeded');

		// Its adapter merges into a full model, with live progress, then can be deleted after a confirmation.
		const adapter = async () => (await apiGet<{ models: ModelSummary[] }>(page, '/api/models')).models.find((m) => m.runId === loraId && m.format === 'adapter');
		await expect.poll(adapter, { timeout: 30_000 }).toBeTruthy();
		const adapterId = (await adapter())!.id;
		await page.goto(`${server.url}/models`);
		await page.locator(`[data-model-id="${adapterId}"]`).getByRole('button', { name: 'Merge' }).click();
		const merged = page.locator('[data-testid="model-row"][data-kind="merged"]');
		await expect.poll(() => merged.count(), { timeout: 120_000 }).toBe(1);
		expect(await merged.getByTestId('modalities').textContent()).toMatch(/video/);
		page.once('dialog', (dialog) => void dialog.accept());
		await merged.getByRole('button', { name: 'Delete' }).click();
		await expect.poll(() => merged.count(), { timeout: 30_000 }).toBe(0);

		// An import that is not a model shows the server's reason, naming the missing file.
		await page.getByRole('button', { name: 'Import a model' }).click();
		await page.getByTestId('model-file-input').setInputFiles({ name: 'config.json', mimeType: 'application/json', buffer: Buffer.from('{"architectures": ["LlamaForCausalLM"]}') });
		await page.getByRole('button', { name: 'Import', exact: true }).click();
		await expect.poll(() => page.getByTestId('import-error').textContent(), { timeout: 30_000 }).toMatch(/config\.json|model\.safetensors/);

		expect(errors).toEqual([]);
		await page.close();
	});
});
