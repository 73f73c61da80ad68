import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildZip } from '../../src/lib/server/datasets/testFixtures';
import { circle, createCanvas, fillShape } from '../../src/lib/server/demo/canvas';
import { encodePng } from '../../src/lib/server/demo/png';
import { adminCredentials, setupAdmin } from '../helpers/api';
import { launchBrowser } from '../helpers/browser';
import { startServer, tempDataDir, type TestServer } from '../helpers/server';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
	server = await startServer();
	await setupAdmin(server.url);
	browser = await launchBrowser();
});
afterAll(async () => {
	await browser?.close();
	await server?.stop();
});

function dotPng(colour: [number, number, number]): Buffer {
	const canvas = createCanvas(32, 32, [255, 255, 255]);
	fillShape(canvas, circle(16, 16, 10), colour);
	return Buffer.from(encodePng(canvas));
}

/** A zip with a JSONL of image questions and their PNGs; line 3 has no assistant turn. */
function datasetZip(): Buffer {
	const rows = [
		{ messages: [{ role: 'user', content: '<image>What colour is the dot?' }, { role: 'assistant', content: 'red' }], images: ['images/red.png'] },
		{ messages: [{ role: 'user', content: '<image>What colour is the dot?' }, { role: 'assistant', content: 'blue' }], images: ['images/blue.png'] },
		{ messages: [{ role: 'user', content: '<image>What colour is the dot?' }], images: ['images/red.png'] }
	];
	return buildZip([
		{ name: 'dots.jsonl', data: Buffer.from(rows.map((r) => JSON.stringify(r)).join('\n') + '\n') },
		{ name: 'images/red.png', data: dotPng([220, 30, 30]) },
		{ name: 'images/blue.png', data: dotPng([30, 60, 220]) }
	]);
}

describe('datasets in the browser', () => {
	it('uploads a zip with images, reports the bad row by line, imports the rest and previews the images', async () => {
		const zipPath = path.join(tempDataDir(), 'dots.zip');
		fs.writeFileSync(zipPath, datasetZip());
		const page = await browser.newPage();
		const errors: string[] = [];
		page.on('pageerror', (error) => errors.push(error.message));
		await page.goto(`${server.url}/login`);
		await page.getByLabel('Username').fill(adminCredentials.username);
		await page.getByLabel('Password').fill(adminCredentials.password);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await page.waitForURL((url) => url.pathname === '/datasets');

		await page.getByTestId('file-input').setInputFiles(zipPath);
		await page.getByLabel('Dataset name').fill('Dots');
		await page.getByRole('button', { name: 'Upload and check' }).click();

		// Nothing is kept while a row is bad; the problem names its line.
		const problems = page.getByTestId('import-errors');
		await expect.poll(() => problems.locator('tr[data-line="3"]').count(), { timeout: 30_000 }).toBe(1);
		expect(await problems.locator('tr[data-line="3"]').textContent()).toContain('no_assistant');

		await page.getByRole('button', { name: 'Import the 2 valid rows' }).click();
		await page.getByTestId('import-outcome').getByRole('link', { name: 'Dots' }).click();
		await page.waitForURL(/\/datasets\/[\w-]+$/);

		// The preview shows both rows with their pictures, loaded from the server.
		const images = page.getByTestId('row-browser').locator('img');
		await expect.poll(() => images.count(), { timeout: 15_000 }).toBe(2);
		await expect.poll(() => images.first().evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(32);
		expect(await page.getByTestId('dataset-stats').textContent()).toContain('2 images');

		// Holding every row out for validation is saved on the server and counted again.
		await page.getByLabel('Ratio').fill('1');
		await page.getByRole('button', { name: 'Save split' }).click();
		await expect.poll(() => page.getByTestId('validation-rows').textContent()).toBe('2 rows held out');

		// Every row is longer than one token.
		await page.getByLabel('max_length').fill('1');
		await expect.poll(() => page.getByTestId('over-max-length').textContent()).toBe('100.0% of rows');
		expect(errors).toEqual([]);
		await page.close();
	});
});
