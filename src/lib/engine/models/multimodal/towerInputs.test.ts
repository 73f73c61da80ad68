import { describe, expect, it } from 'vitest';
import { patchCount, resolveMultimodalConfig } from './config';
import { seededValues } from '../../autograd/ops/gradCheck';
import { TINY_MULTIMODAL } from './testModel';
import { COLOUR_SCALE, kthSmallest, patchify, pictureInput, pictureInputSize, splitPictures } from './towerInputs';

describe('picture input', () => {
	const v = resolveMultimodalConfig(TINY_MULTIMODAL).vision;
	const area = v.patch_size ** 2;
	const N = patchCount(v);
	const image = seededValues(3 * v.image_size ** 2, 21);
	const patches = patchify(image, v);
	const input = pictureInput(image, v);

	it("gives each patch its BT.601 luma pixel by pixel, less the patch's mean luma, in patch order", () => {
		expect(input.length).toBe(pictureInputSize(v));
		for (let n = 0; n < N; n++) {
			const luma = Array.from({ length: area }, (_, px) => {
				const at = n * 3 * area + px;
				return 0.299 * patches[at] + 0.587 * patches[at + area] + 0.114 * patches[at + 2 * area];
			});
			const mean = luma.reduce((a, b) => a + b, 0) / area;
			for (let px = 0; px < area; px++) expect(input[n * area + px]).toBeCloseTo(luma[px] - mean, 5);
		}
	});

	it("then each patch's mean red, green and blue, scaled", () => {
		for (let n = 0; n < N; n++) {
			for (let c = 0; c < 3; c++) {
				let sum = 0;
				for (let px = 0; px < area; px++) sum += patches[n * 3 * area + c * area + px];
				expect(input[N * area + n * 3 + c]).toBeCloseTo((COLOUR_SCALE * sum) / area, 5);
			}
		}
	});

	it('leaves the luma of a patch of one colour at zero whatever the colour', () => {
		const flat = new Float32Array(3 * v.image_size ** 2);
		for (let c = 0; c < 3; c++) flat.fill([0.8, 0.3, 0.1][c], c * v.image_size ** 2, (c + 1) * v.image_size ** 2);
		const out = pictureInput(flat, v);
		expect(Math.max(...out.subarray(0, N * area).map(Math.abs))).toBeLessThan(1e-6);
		expect(out[N * area]).toBeCloseTo(COLOUR_SCALE * 0.8, 5);
	});

	it('splits pictures back to back into all the luma and all the colours, picture by picture', () => {
		const second = pictureInput(seededValues(3 * v.image_size ** 2, 22), v);
		const both = new Float32Array(2 * input.length);
		both.set(input);
		both.set(second, input.length);
		const { luma, colours } = splitPictures(both, v);
		expect(Array.from(luma)).toEqual([...input.subarray(0, N * area), ...second.subarray(0, N * area)]);
		expect(Array.from(colours)).toEqual([...input.subarray(N * area), ...second.subarray(N * area)]);
	});
});

describe('kthSmallest', () => {
	it('agrees with a sort for every k, with repeated values, as 8-bit pictures have', () => {
		for (const [n, levels, seed] of [[1, 1, 1], [2, 2, 2], [7, 3, 3], [64, 256, 4], [301, 5, 5], [1000, 1000, 6]]) {
			const values = Float32Array.from(seededValues(n, seed), (x) => Math.round(((x + 1) / 2) * (levels - 1)));
			const sorted = Float32Array.from(values).sort();
			for (let k = 0; k < n; k += Math.max(1, n >> 4)) expect(kthSmallest(Float32Array.from(values), k)).toBe(sorted[k]);
			expect(kthSmallest(Float32Array.from(values), n - 1)).toBe(sorted[n - 1]);
		}
	});
});
