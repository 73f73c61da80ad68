/**
 * Reads a value until `done` accepts it, a fixed pause between reads; fails with the last value read when
 * the time runs out, so a test that times out says what it saw.
 */
export async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 240_000, intervalMs = 200): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await read();
		if (done(value)) return value;
		if (Date.now() > deadline) throw new Error(`timed out; last value: ${JSON.stringify(value).slice(0, 800)}`);
		await new Promise((resolve) => setTimeout(resolve, intervalMs));
	}
}
