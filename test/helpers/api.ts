/** A tiny cookie-keeping JSON client for integration tests. */
export class ApiClient {
	cookie = '';

	constructor(readonly baseUrl: string) {}

	async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
		const response = await fetch(this.baseUrl + path, {
			method,
			redirect: 'manual',
			headers: {
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
				...(this.cookie ? { cookie: this.cookie } : {}),
				...headers
			},
			body: body === undefined ? undefined : JSON.stringify(body)
		});
		const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('swiftboard_session='));
		if (setCookie) this.cookie = setCookie.split(';')[0];
		return response;
	}

	async json<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
		const response = await this.request(method, path, body);
		return { status: response.status, body: (await response.json()) as T };
	}
}

export const adminCredentials = { username: 'admin', password: 'correct-horse-battery' };

/** Creates the first admin on a fresh server and returns a signed-in client. */
export async function setupAdmin(baseUrl: string): Promise<ApiClient> {
	const client = new ApiClient(baseUrl);
	const { status } = await client.json('POST', '/api/auth/setup', adminCredentials);
	if (status !== 200) throw new Error(`setup answered ${status}`);
	return client;
}

/** Adds a user as the admin and returns a client signed in as them. */
export async function addUser(admin: ApiClient, username: string, role: 'admin' | 'member' | 'viewer'): Promise<ApiClient> {
	const password = `${username}-password-1`;
	const created = await admin.json('POST', '/api/admin/users', { username, password, role });
	if (created.status !== 201) throw new Error(`adding ${username} answered ${created.status}`);
	const client = new ApiClient(admin.baseUrl);
	const login = await client.json('POST', '/api/auth/login', { username, password });
	if (login.status !== 200) throw new Error(`login of ${username} answered ${login.status}`);
	return client;
}
