// `npm start`: build the app when it is missing or older than its sources, then run the server.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const builtMarker = path.join(root, 'build', 'handler.js');
const sourceDirs = ['src', 'kernels', 'static'].map((dir) => path.join(root, dir));
const sourceFiles = ['package.json', 'svelte.config.js', 'vite.config.ts'].map((file) => path.join(root, file));

function newestMtime(entry) {
	if (!fs.existsSync(entry)) return 0;
	const stat = fs.statSync(entry);
	if (!stat.isDirectory()) return stat.mtimeMs;
	let newest = 0;
	for (const child of fs.readdirSync(entry)) {
		if (child === 'build' || child === 'node_modules') continue;
		newest = Math.max(newest, newestMtime(path.join(entry, child)));
	}
	return newest;
}

const builtAt = fs.existsSync(builtMarker) ? fs.statSync(builtMarker).mtimeMs : 0;
const sourcesAt = Math.max(...[...sourceDirs, ...sourceFiles].map(newestMtime));
if (sourcesAt > builtAt) {
	console.log('Building SwiftBoard…');
	const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
	if (build.status !== 0) process.exit(build.status ?? 1);
}

const server = spawn(process.execPath, ['--import', 'tsx', path.join('src', 'server.ts')], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
