import fs from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { adminCredentials } from './api';

/** Debian's Chromium, headless, with every background network feature off (the machine is offline). */
export async function launchBrowser(): Promise<Browser> {
	const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
	if (!fs.existsSync(executablePath)) {
		throw new Error(`Chromium not found at ${executablePath}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH.`);
	}
	return chromium.launch({
		executablePath,
		args: [
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--no-first-run',
			'--disable-quic'
		]
	});
}

/** Signs the page in as the test administrator through the real login form. */
export async function signInAsAdmin(page: Page, baseUrl: string): Promise<void> {
	await page.goto(`${baseUrl}/login`);
	await page.getByLabel('Username').fill(adminCredentials.username);
	await page.getByLabel('Password').fill(adminCredentials.password);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await page.waitForURL((url) => url.pathname !== '/login');
}

/** A new page signed in as the test administrator, with the page's uncaught errors collected for the test to check. */
export async function openAdminPage(browser: Browser, baseUrl: string): Promise<{ page: Page; errors: string[] }> {
	const page = await browser.newPage();
	const errors: string[] = [];
	page.on('pageerror', (error) => errors.push(error.message));
	await signInAsAdmin(page, baseUrl);
	return { page, errors };
}
