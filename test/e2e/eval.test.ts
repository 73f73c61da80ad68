import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvalRecord } from '../../src/lib/shared/evalJob';
import type { RunRecord } from '../../src/lib/shared/run/runRecord';
import { type ApiClient, setupAdmin } from '../helpers/api';
import { launchBrowser, openAdminPage } from '../helpers/browser';
import { seedTinyDemo } from '../helpers/seedDemo';
import { startServer, tempDataDir, type TestServer } from '../helpers/server';
import { trainedRun } from '../helpers/trainedRun';

let server: TestServer;
let browser: Browser;
let admin: ApiClient;
let run: RunRecord;

/** Media renamed to their sha256, as an import stores them (the only names the media route serves). */
function hashMediaNames(dataDir: string, id: string): void {
	const dir = path.join(dataDir, 'datasets', id);
	const renamed = new Map<string, string>();
	for (const name of fs.readdirSync(path.join(dir, 'media'))) {
		const bytes = fs.readFileSync(path.join(dir, 'media', name));
		const hashed = `${createHash('sha256').update(bytes).digest('hex')}${path.extname(name)}`;
		fs.renameSync(path.join(dir, 'media', name), path.join(dir, 'media', hashed));
		renamed.set(`media/${name}`, `media/${hashed}`);
	}
	const rows = fs.readFileSync(path.join(dir, 'data.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
	for (const row of rows) for (const key of ['images', 'audios', 'videos']) if (Array.isArray(row[key])) row[key] = (row[key] as string[]).map((p) => renamed.get(p) ?? p);
	fs.writeFileSync(path.join(dir, 'data.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
}

beforeAll(async () => {
	const dataDir = tempDataDir();
	await seedTinyDemo(dataDir);
	for (const id of ['demo', 'demo-val']) hashMediaNames(dataDir, id);
	server = await startServer({ dataDir });
	admin = await setupAdmin(server.url);
	const config = {
		name: 'vlm',
		model: 'demo-vlm',
		dataset: 'demo',
		val_dataset: 'demo-val',
		tuner_type: 'full',
		freeze_vit: false,
		per_device_train_batch_size: 8,
		learning_rate: 1e-3,
		max_steps: 4,
		save_steps: 2,
		save_total_limit: 2
	};
	({ run } = await trainedRun(admin, config, 2));
	browser = await launchBrowser();
}, 300_000);
afterAll(async () => {
	await browser?.close();
	await server?.stop();
});


describe('eval reports', () => {
	it('evaluates every checkpoint from the run page, shows per-type figures, plays a wrong answer\'s media and compares the checkpoints', async () => {
		const { page, errors } = await openAdminPage(browser, server.url);

		await page.goto(`${server.url}/runs/${run.id}`);
		await page.getByTestId('evaluate-every').click();
		await expect.poll(() => page.locator('[data-testid="run-eval"][data-status="succeeded"]').count(), { timeout: 180_000 }).toBe(2);
		// Two finished evals draw the accuracy-by-step curve beside the loss.
		await expect.poll(() => page.getByTestId('eval-curve').count()).toBe(1);

		await page.getByRole('link', { name: 'step 4' }).click();
		await page.waitForURL(/\/eval\/[\w-]+$/);
		const bars = page.locator('[data-testid="tag-bars"][data-by="tag:question_type"] [data-testid="tag-bar"]');
		await expect.poll(() => bars.count()).toBeGreaterThan(2);
		const evalId = new URL(page.url()).pathname.split('/').pop()!;
		const record = (await admin.json<{ eval: EvalRecord }>('GET', `/api/evals/${evalId}`)).body.eval;
		const [type, score] = Object.entries(record.tagScores['tag:question_type'])[0];
		expect(await page.locator(`[data-testid="tag-bar"][data-tag="${type}"]`).first().textContent()).toContain(`${(score * 100).toFixed(1)}%`);
		expect(await page.getByTestId('headline').textContent()).toContain('SQuAD');

		// Wrong answers only, then one sample's media plays.
		await page.getByTestId('filter-outcome').selectOption('fail');
		await expect.poll(async () => (await page.getByTestId('sample-score').allTextContents()).every((s) => s === '0.0%') && (await page.getByTestId('sample-row').count()) > 0).toBe(true);
		await page.getByTestId('filter-tag').selectOption('modality=audio');
		await expect.poll(() => page.locator('[data-testid="sample-row"] audio').count()).toBeGreaterThan(0);
		const ready = await page.locator('[data-testid="sample-row"] audio').first().evaluate(
			(audio: HTMLAudioElement) =>
				new Promise<number>((resolve) => {
					if (audio.readyState >= 1) resolve(audio.readyState);
					audio.addEventListener('loadedmetadata', () => resolve(audio.readyState));
					audio.addEventListener('error', () => resolve(-1));
					audio.load();
				})
		);
		expect(ready).toBeGreaterThanOrEqual(1);

		// Compare with the earlier checkpoint.
		await page.goto(`${server.url}/eval`);
		const boxes = page.locator('[data-testid="eval-row"] input[type="checkbox"]');
		expect(await boxes.count()).toBe(2);
		await boxes.nth(0).check();
		await boxes.nth(1).check();
		await page.getByTestId('compare-evals').click();
		await page.waitForURL(/\/eval\/compare\?ids=/);
		const header = await page.locator('[data-testid="compare-metrics"] thead').textContent();
		expect(header).toContain('@2');
		expect(header).toContain('@4');
		expect(await page.getByTestId('compare-breakdown').count()).toBeGreaterThan(0);
		expect(await page.getByTestId('disagreements').count()).toBe(1);
		expect(errors).toEqual([]);
		await page.close();
	}, 300_000);
});
