import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser';
import { startServer, type TestServer } from '../helpers/server';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
	server = await startServer();
	browser = await launchBrowser();
});
afterAll(async () => {
	await browser?.close();
	await server?.stop();
});

async function signIn(page: Page, username: string, password: string) {
	await page.goto(`${server.url}/login`);
	await page.getByLabel('Username').fill(username);
	await page.getByLabel('Password').fill(password);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await page.waitForURL((url) => url.pathname !== '/login');
}

async function signOut(page: Page) {
	await page.getByRole('button', { name: 'Sign out' }).click();
	await page.waitForURL((url) => url.pathname === '/login');
}

describe('first run, navigation and roles', () => {
	it('walks setup, every page, adding a viewer, and the viewer’s limits', async () => {
		const context = await browser.newContext({ locale: 'en-US' });
		const page = await context.newPage();
		const pageErrors: string[] = [];
		page.on('pageerror', (error) => pageErrors.push(error.message));

		// A fresh install sends every page to /setup.
		await page.goto(`${server.url}/runs`);
		expect(new URL(page.url()).pathname).toBe('/setup');
		await page.getByLabel('Username').fill('admin');
		await page.getByLabel('Password').fill('correct-horse-battery');
		await page.getByRole('button', { name: 'Create administrator' }).click();
		await page.waitForURL((url) => url.pathname === '/datasets');
		await expect.poll(() => page.getByTestId('current-user').textContent()).toContain('admin');

		// Every navigation link opens its page.
		const nav = page.getByRole('navigation', { name: 'Main' });
		for (const name of ['Datasets', 'Train', 'Runs', 'Chat', 'Eval', 'Models', 'Admin']) {
			await nav.getByRole('link', { name }).click();
			await expect.poll(() => page.locator('h1').first().textContent()).toBe(name);
		}

		// The admin adds a viewer.
		const form = page.getByTestId('add-user-form');
		await form.getByLabel('Username').fill('demo');
		await form.getByLabel('Password').fill('demo-password-1');
		await form.getByLabel('Role').selectOption('viewer');
		await form.getByRole('button', { name: 'Add user' }).click();
		await expect.poll(() => page.locator('tr[data-username="demo"]').count()).toBe(1);

		// The admin can run a test job on the CPU slot and watch it finish live.
		await page.getByTestId('devices-table').getByRole('button', { name: 'Run a test job' }).first().click();
		await expect.poll(() => page.getByTestId('test-job').textContent(), { timeout: 20_000 }).toContain('succeeded');
		await signOut(page);

		// The viewer signs in: no Train or Admin link, and both are refused.
		await signIn(page, 'demo', 'demo-password-1');
		const links = await nav.getByRole('link').allTextContents();
		expect(links).not.toContain('Train');
		expect(links).not.toContain('Admin');
		const trainPage = await page.goto(`${server.url}/train`);
		expect(trainPage?.status()).toBe(403);
		expect(await page.getByTestId('error-message').textContent()).toMatch(/may not/);
		const trainApi = await page.request.post(`${server.url}/api/jobs`, { data: { kind: 'noop' } });
		expect(trainApi.status()).toBe(403);
		expect(((await trainApi.json()) as { error: { code: string } }).error.code).toBe('forbidden');
		expect((await page.goto(`${server.url}/admin`))?.status()).toBe(403);

		// The chat playground is open to viewers.
		expect((await page.goto(`${server.url}/chat`))?.status()).toBe(200);
		await signOut(page);
		expect((await page.goto(`${server.url}/runs`))?.url()).toContain('/login');

		expect(pageErrors).toEqual([]);
		await context.close();
	});

	it('speaks Chinese when asked and remembers the theme', async () => {
		const context = await browser.newContext({ locale: 'zh-CN', colorScheme: 'dark' });
		const page = await context.newPage();
		await page.goto(`${server.url}/login`);
		expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
		expect(await page.getByRole('button', { name: '登录' }).count()).toBe(1);
		expect(await page.locator('html').getAttribute('data-theme')).toBe('dark');
		await context.close();
	});
});
