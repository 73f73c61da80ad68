import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminCredentials, setupAdmin } from '../helpers/api';
import { launchBrowser } from '../helpers/browser';
import { startServer, type TestServer } from '../helpers/server';

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

const models = (secret: string) => fetch(`${server.url}/api/v1/models`, { headers: { authorization: `Bearer ${secret}` } });

describe('API keys page', () => {
	it('creates a key shown once, lists it by prefix with its last use, and revokes it', async () => {
		const context = await browser.newContext({ locale: 'en-US' });
		const page = await context.newPage();
		const pageErrors: string[] = [];
		page.on('pageerror', (error) => pageErrors.push(error.message));
		page.on('dialog', (dialog) => void dialog.accept());
		await page.goto(`${server.url}/login`);
		await page.getByLabel('Username').fill(adminCredentials.username);
		await page.getByLabel('Password').fill(adminCredentials.password);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await page.waitForURL((url) => url.pathname !== '/login');

		await page.getByRole('link', { name: 'API keys' }).click();
		await expect.poll(() => page.locator('h1').first().textContent()).toBe('API keys');
		await expect.poll(() => page.getByText('You have no API keys yet.').count()).toBe(1);
		const form = page.getByTestId('new-key-form');
		await form.getByLabel('Key name').fill('notebook');
		await form.getByRole('button', { name: 'Create key' }).click();
		const secret = (await page.getByTestId('new-key-secret').textContent({ timeout: 10_000 })) ?? '';
		expect(secret).toMatch(/^sb-/);
		const row = page.getByTestId('api-keys').locator('tbody tr');
		await expect.poll(() => row.count()).toBe(1);
		expect(await row.textContent()).toContain(`${secret.slice(0, 11)}…`);
		expect(await row.textContent()).toContain('never');

		expect((await models(secret)).status).toBe(200);
		await page.reload();
		// Shown once: after a reload only the prefix remains.
		expect(await page.getByTestId('new-key-secret').count()).toBe(0);
		expect(await page.content()).not.toContain(secret);
		expect(await row.textContent()).not.toContain('never');

		await row.getByRole('button', { name: 'Revoke' }).click();
		await expect.poll(() => row.textContent()).toContain('revoked');
		expect((await models(secret)).status).toBe(401);
		expect(pageErrors).toEqual([]);
		await context.close();
	});

	it('speaks Chinese', async () => {
		const context = await browser.newContext({ locale: 'zh-CN' });
		const page = await context.newPage();
		await page.goto(`${server.url}/login`);
		await page.getByLabel('用户名').fill(adminCredentials.username);
		await page.getByLabel('密码').fill(adminCredentials.password);
		await page.getByRole('button', { name: '登录' }).click();
		await page.waitForURL((url) => url.pathname !== '/login');
		await page.getByRole('link', { name: 'API 密钥' }).click();
		await expect.poll(() => page.locator('h1').first().textContent()).toBe('API 密钥');
		await context.close();
	});
});
