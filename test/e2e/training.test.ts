import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupAdmin } from '../helpers/api';
import { launchBrowser, openAdminPage } from '../helpers/browser';
import { arithmeticRows, seedDataset } from '../helpers/seedDataset';
import { startServer, tempDataDir, type TestServer } from '../helpers/server';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
	const dataDir = tempDataDir();
	seedDataset(dataDir, 'arith', arithmeticRows(64));
	server = await startServer({ dataDir });
	await setupAdmin(server.url);
	browser = await launchBrowser();
});
afterAll(async () => {
	await browser?.close();
	await server?.stop();
});


const lossPoints = (page: Page) => page.getByTestId('chart-loss').getAttribute('data-points').then(Number);

async function loggedSteps(page: Page): Promise<number[]> {
	// The run page's history, as the browser sees it: every metric step in order.
	return page.evaluate(async () => {
		const id = location.pathname.split('/').pop();
		const response = await fetch(`/api/runs/${id}/metrics?after=0`);
		const { events } = (await response.json()) as { events: { type: string; data: { step: number } }[] };
		return events.filter((e) => e.type === 'metrics').map((e) => e.data.step);
	});
}

describe('training from the browser', () => {
	it('configures a run, watches it live across a reload, stops and resumes it', async () => {
		const { page, errors } = await openAdminPage(browser, server.url);

		await page.goto(`${server.url}/train`);
		await page.getByLabel('Run name').fill('browser-run');
		await page.locator('#model').selectOption('nano');
		await page.locator('#dataset').selectOption('arith');
		await page.locator('#tuner').selectOption('full');
		await page.locator('#max_steps').fill('2000');
		await page.locator('#max_length').fill('64');
		await page.locator('#save_steps').fill('5');
		await page.locator('#learning_rate').fill('0.003');
		await page.locator('#logging_steps').fill('1');
		// The command preview follows the form.
		await expect.poll(() => page.getByTestId('command-preview').textContent()).toContain('--max_steps 2000');
		await page.getByRole('button', { name: 'Start training' }).click();
		await page.waitForURL(/\/runs\/[\w-]+$/);

		// Points arrive live.
		await expect.poll(() => lossPoints(page), { timeout: 60_000 }).toBeGreaterThan(5);

		// Reload mid-run: the chart comes back with every point and keeps growing, no gap or duplicate.
		await page.reload();
		await expect.poll(() => lossPoints(page), { timeout: 30_000 }).toBeGreaterThan(8);
		const steps = await loggedSteps(page);
		expect(steps).toEqual(steps.map((_, i) => steps[0] + i));
		const shownAfterReload = await lossPoints(page);
		await expect.poll(() => lossPoints(page), { timeout: 30_000 }).toBeGreaterThan(shownAfterReload);

		// Stop: graceful, with a checkpoint.
		await page.getByRole('button', { name: 'Stop' }).click();
		await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 60_000 }).toBe('stopped');
		await expect.poll(() => page.getByTestId('checkpoints').locator('tr').count(), { timeout: 10_000 }).toBeGreaterThan(0);
		const stoppedAt = (await loggedSteps(page)).at(-1) ?? 0;

		// Resume: the same curve continues.
		await page.getByRole('button', { name: 'Resume' }).click();
		await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 30_000 }).toBe('running');
		await expect.poll(async () => (await loggedSteps(page)).at(-1) ?? 0, { timeout: 60_000 }).toBeGreaterThan(stoppedAt + 2);
		await expect.poll(() => lossPoints(page), { timeout: 30_000 }).toBeGreaterThan(stoppedAt);
		await page.getByRole('button', { name: 'Stop' }).click();
		await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 60_000 }).toBe('stopped');

		expect(errors).toEqual([]);
		await page.close();
	});

	it('shows the tuner the run will use, even while another field is invalid, and offers built-in runs only the CPU', async () => {
		const { page } = await openAdminPage(browser, server.url);
		await page.goto(`${server.url}/train`);
		// The demo preset trains demo-vlm in full.
		await expect.poll(() => page.locator('#model').inputValue()).toBe('demo-vlm');
		expect(await page.locator('#tuner').inputValue()).toBe('full');
		await page.getByLabel('Run name').fill('');
		expect(await page.locator('#tuner').inputValue()).toBe('full');
		await page.getByLabel('Run name').fill('demo');
		await page.locator('#tuner').selectOption('dora');
		await expect.poll(() => page.getByTestId('command-preview').textContent()).toContain('--use_dora true');
		expect(await page.locator('#device option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value))).toEqual(['auto', 'cpu']);
		await page.close();
	});

	it('picks target modules and modules to save with ticks, and the command says the same', async () => {
		const { page } = await openAdminPage(browser, server.url);
		await page.goto(`${server.url}/train`);
		await expect.poll(() => page.locator('#tuner').inputValue()).toBe('full');
		// A full run trains every weight: no module lists to pick.
		expect(await page.locator('#target_modules').count()).toBe(0);
		await page.locator('#tuner').selectOption('lora');
		const targets = page.locator('#target_modules');
		expect(await targets.locator('[data-choice="q_proj"]').isDisabled()).toBe(true);
		await targets.locator('[data-choice="all-linear"]').uncheck();
		for (const name of ['gate_proj', 'up_proj', 'down_proj']) await targets.locator(`[data-choice="${name}"]`).uncheck();
		await page.locator('#modules_to_save [data-choice="lm_head"]').check();
		const preview = () => page.getByTestId('command-preview').textContent();
		await expect.poll(preview).toContain('--target_modules q_proj k_proj v_proj o_proj');
		expect(await preview()).toContain('--modules_to_save lm_head');
		// No module at all is no LoRA: the form says so and the preview waits for a valid run.
		for (const name of ['q_proj', 'k_proj', 'v_proj', 'o_proj']) await targets.locator(`[data-choice="${name}"]`).uncheck();
		await expect.poll(() => page.locator('#target_modules-error').textContent()).toContain('Pick at least one module');
		await page.close();
	});
});
