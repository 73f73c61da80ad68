import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelSummary } from '../../src/lib/shared/models';
import { setupAdmin, type ApiClient } from '../helpers/api';
import { launchBrowser, openAdminPage } from '../helpers/browser';
import { arithmeticRows, seedDataset } from '../helpers/seedDataset';
import { startServer, tempDataDir, type TestServer } from '../helpers/server';
import { swiftCheckpoint, swiftFixture } from '../helpers/swiftJobs';

// `swift eval` from the Eval page, `swift export` and `swift deploy` from the Models page, against the test double of
// ms-swift's CLI (test/fixtures/swift/swift).

let server: TestServer;
let browser: Browser;
let admin: ApiClient;
let checkpoint: ModelSummary;

beforeAll(async () => {
	const dataDir = tempDataDir();
	seedDataset(dataDir, 'arith', arithmeticRows(16));
	server = await startServer({ dataDir, env: { SWIFTBOARD_SWIFT_BIN: swiftFixture, SWIFT_FIXTURE_STEP_MS: '20', SWIFTBOARD_SWIFT_STOP_GRACE_S: '1' } });
	admin = await setupAdmin(server.url);
	browser = await launchBrowser();
	checkpoint = await swiftCheckpoint(admin, 'arith');
}, 90_000);
afterAll(async () => {
	await browser?.close();
	await server?.stop();
});

describe('ms-swift eval and export from the browser', () => {
	it('evaluates a swift checkpoint on EvalScope datasets and shows the scores, categories and subsets', async () => {
		const { page, errors } = await openAdminPage(browser, server.url);
		await page.goto(`${server.url}/eval`);
		await page.getByTestId('new-eval').click();
		const form = page.getByTestId('new-eval-form');
		await form.locator('select[name=engine]').selectOption('swift');
		await form.locator('select[name=model]').selectOption(checkpoint.id);
		await form.locator('input[name=eval_dataset]').fill('gsm8k, mmlu');
		await form.locator('input[name=eval_limit]').fill('10');
		await form.getByRole('button', { name: 'Start evaluation' }).click();
		await page.waitForURL(/\/eval\/[\w-]+$/);
		await expect.poll(() => page.getByTestId('eval-status').getAttribute('data-status'), { timeout: 20_000 }).toBe('succeeded');
		await expect.poll(() => page.getByTestId('headline').locator('tr').count()).toBe(2);
		expect(await page.locator('[data-metric="gsm8k/AverageAccuracy"] .score').textContent()).toMatch(/40/);
		const mmlu = page.locator('[data-testid=categories][data-metric="mmlu/AverageAccuracy"]');
		expect(await mmlu.locator('[data-category=Other] td').last().textContent()).toMatch(/80/);
		expect(await mmlu.locator('[data-subset=abstract_algebra] td').last().textContent()).toMatch(/30/);
		expect(errors).toEqual([]);
		await page.close();
	});

	it('merges the adapter with ms-swift from the Models page and lists the new model', async () => {
		const { page } = await openAdminPage(browser, server.url);
		await page.goto(`${server.url}/models`);
		await page.locator(`[data-model-id="${checkpoint.id}"]`).getByTestId('swift-export').click();
		const form = page.getByTestId('swift-export-form');
		await form.getByRole('button', { name: 'Start export' }).click();
		await expect.poll(() => page.getByTestId('model-row').filter({ hasText: `${checkpoint.name} (merged)` }).count(), { timeout: 20_000 }).toBe(1);
		expect(await page.getByTestId('swift-export-form').count()).toBe(0);
		await page.close();
	});

	it('shows why an export failed', async () => {
		const { page } = await openAdminPage(browser, server.url);
		await page.goto(`${server.url}/models`);
		await page.locator(`[data-model-id="${checkpoint.id}"]`).getByTestId('swift-export').click();
		const form = page.getByTestId('swift-export-form');
		await form.locator('select[name=quant_method]').selectOption('fp8');
		await form.getByRole('button', { name: 'Start export' }).click();
		await expect.poll(() => form.getByRole('alert').textContent(), { timeout: 20_000 }).toMatch(/FP8 quantization needs a CUDA GPU/);
		await page.close();
	});
});

describe('swift deploy from the browser', () => {
	it('deploys a swift model from the Models page, lists it as a healthy endpoint, and stops it', async () => {
		const { page, errors } = await openAdminPage(browser, server.url);
		await page.goto(`${server.url}/models`);
		const row = page.locator(`[data-model-id="${checkpoint.id}"]`);
		await row.getByTestId('swift-deploy').click();
		await row.getByTestId('swift-deploy-start').click();
		await expect.poll(() => row.getByTestId('swift-deploy-state').textContent(), { timeout: 20_000 }).toContain('serving as an endpoint');
		await expect.poll(() => page.getByText(`${checkpoint.name} (swift deploy)`).count(), { timeout: 10_000 }).toBeGreaterThan(0);
		await row.getByTestId('swift-deploy-stop').click();
		await expect.poll(() => row.getByTestId('swift-deploy').count(), { timeout: 20_000 }).toBe(1);
		await expect.poll(() => page.getByText(`${checkpoint.name} (swift deploy)`).count(), { timeout: 10_000 }).toBe(0);
		expect(errors).toEqual([]);
		await page.close();
	});
});
