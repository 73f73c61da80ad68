import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, adminCredentials, setupAdmin } from '../helpers/api';
import { startServer, type TestServer } from '../helpers/server';

let server: TestServer;

beforeAll(async () => {
	server = await startServer();
	const admin = await setupAdmin(server.url);
	await addUser(admin, 'sprayer', 'member');
});
afterAll(async () => {
	await server?.stop();
});

/**
 * Signs in from a chosen loopback address: the whole of 127.0.0.0/8 reaches the server, which sees
 * each as a different client (it trusts only the socket's address, never a header).
 */
function login(from: string, username: string, password: string): Promise<number> {
	return new Promise((resolve, reject) => {
		const body = JSON.stringify({ username, password });
		const request = http.request(
			`${server.url}/api/auth/login`,
			{ method: 'POST', localAddress: from, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
			(response) => {
				response.resume();
				response.on('end', () => resolve(response.statusCode ?? 0));
			}
		);
		request.on('error', reject);
		request.end(body);
	});
}

describe('sign-in throttling', () => {
	it('holds back the address that guesses, not the account: the admin still signs in from elsewhere', async () => {
		const statuses: number[] = [];
		for (let i = 0; i < 12 && statuses.at(-1) !== 429; i++) statuses.push(await login('127.0.0.1', 'admin', `wrong-guess-${i}`));
		expect(statuses.at(-1)).toBe(429);
		expect(statuses.filter((s) => s === 401).length).toBeGreaterThanOrEqual(3);
		// The guessing address stays refused, even with the right password...
		expect(await login('127.0.0.1', adminCredentials.username, adminCredentials.password)).toBe(429);
		// ...while the admin at another address signs in.
		expect(await login('127.0.0.2', adminCredentials.username, adminCredentials.password)).toBe(200);
	});

	it('counts failures across usernames per address, and a success does not reset the count', async () => {
		const from = '127.0.0.3';
		const statuses: number[] = [];
		for (let i = 0; i < 27; i++) {
			statuses.push(await login(from, `victim${i}`, 'Password123'));
			// Signing in to one's own account between rounds of guesses.
			if (i === 8 || i === 17) expect(await login(from, 'sprayer', 'sprayer-password-1')).toBe(200);
		}
		expect(statuses).toContain(429);
		expect(statuses.indexOf(429)).toBeLessThanOrEqual(26);
		// Another address is not affected.
		expect(await login('127.0.0.4', 'sprayer', 'sprayer-password-1')).toBe(200);
	});
});
