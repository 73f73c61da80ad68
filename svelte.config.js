import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build' }),
		// The socket handshake and uploads check Origin themselves; SvelteKit's own check covers form posts.
		csrf: { trustedOrigins: [] }
	}
};

export default config;
