// Compiles the AssemblyScript kernels in kernels/assembly to WebAssembly SIMD:
//   kernels/build/kernels.wasm          baseline SIMD (runs everywhere Node 20 runs)
//   kernels/build/kernels-relaxed.wasm  adds relaxed-SIMD fused multiply-add; the engine loads it only
//                                       when WebAssembly.validate accepts it.
// Both import one shared memory from the host (env.memory) so kernel threads can share it.
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'kernels', 'assembly', 'index.ts');
const outDir = join(root, 'kernels', 'build');

const common = [
	entry,
	'-O3',
	'--noAssert',
	'--runtime', 'stub',
	'--importMemory',
	'--sharedMemory',
	// Pages are fixed by the host's Memory; these only have to be compatible with it.
	'--initialMemory', '1',
	'--maximumMemory', '65536',
	'--enable', 'simd',
	'--enable', 'threads'
];

const variants = [
	{ file: 'kernels.wasm', extra: [] },
	{ file: 'kernels-relaxed.wasm', extra: ['--enable', 'relaxed-simd'] }
];

await mkdir(outDir, { recursive: true });
for (const variant of variants) {
	const outFile = join(outDir, variant.file);
	const { error, stderr } = await asc.main([...common, ...variant.extra, '--outFile', outFile], {});
	if (error) {
		console.error(stderr.toString());
		console.error(`build-kernels: ${variant.file} failed: ${error.message}`);
		process.exit(1);
	}
	console.log(`build-kernels: wrote ${outFile}`);
}
