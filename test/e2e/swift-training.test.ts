import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupAdmin } from '../helpers/api';
import { launchBrowser, openAdminPage } from '../helpers/browser';
import { arithmeticRows, seedDataset } from '../helpers/seedDataset';
import { startServer, tempDataDir, type TestServer } from '../helpers/server';

// A run on the swift engine from the browser, against the test double of ms-swift's CLI.
const fixture = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/swift/swift');

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
	const dataDir = tempDataDir();
	seedDataset(dataDir, 'arith', arithmeticRows(16));
	server = await startServer({ dataDir, env: { SWIFTBOARD_SWIFT_BIN: fixture, SWIFT_FIXTURE_STEP_MS: '150', SWIFTBOARD_SWIFT_STOP_GRACE_S: '2' } });
	await setupAdmin(server.url);
	browser = await launchBrowser();
});
afterAll(async () => {
	await browser?.close();
	await server?.stop();
});

describe('an ms-swift run from the browser', () => {
	it("shows ms-swift's version, previews the command, draws the curve live and stops", async () => {
		const { page, errors } = await openAdminPage(browser, server.url);

		await page.goto(`${server.url}/models`);
		await expect.poll(() => page.getByTestId('engine-swift-status').textContent()).toContain('swift 4.6.0');

		await page.goto(`${server.url}/train`);
		await page.getByLabel('Run name').fill('swift-run');
		await page.locator('#engine').selectOption('swift');
		await page.locator('#model').fill('Qwen/Qwen2.5-0.5B-Instruct');
		await page.locator('#dataset').selectOption('arith');
		await page.locator('#max_steps').fill('400');
		await page.locator('#save_steps').fill('3');
		await page.locator('#logging_steps').fill('1');
		const preview = () => page.getByTestId('command-preview').textContent();
		await expect.poll(preview).toContain('swift sft');
		expect(await preview()).toContain('--model Qwen/Qwen2.5-0.5B-Instruct');
		expect(await preview()).toContain('--add_version false');
		await page.getByRole('button', { name: 'Start training' }).click();
		await page.waitForURL(/\/runs\/[\w-]+$/);

		// The curve grows while ms-swift logs.
		const lossPoints = () => page.getByTestId('chart-loss').getAttribute('data-points').then(Number);
		await expect.poll(lossPoints, { timeout: 20_000 }).toBeGreaterThan(3);
		const shown = await lossPoints();
		await expect.poll(lossPoints, { timeout: 10_000 }).toBeGreaterThan(shown);

		await page.getByRole('button', { name: 'Stop' }).click();
		await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 20_000 }).toBe('stopped');
		await expect.poll(() => page.getByTestId('checkpoints').locator('tr').count(), { timeout: 10_000 }).toBeGreaterThan(0);
		expect(errors).toEqual([]);
		await page.close();
	});
});
