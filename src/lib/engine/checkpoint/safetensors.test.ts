import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	dtypeByteSize,
	openSafetensors,
	readSafetensors,
	serializeSafetensors,
	writeSafetensors,
	type TensorInMemory
} from './safetensors';

let dir: string;
beforeAll(async () => {
	dir = await mkdtemp(join(tmpdir(), 'swiftboard-safetensors-'));
});
afterAll(async () => {
	await rm(dir, { recursive: true, force: true });
});

const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

/** Builds a file by hand from a header string and data bytes, padding as the spec asks. */
function handBuilt(headerJson: string, data: number[], declaredLength?: number): Uint8Array {
	const padded = headerJson.padEnd(Math.ceil(headerJson.length / 8) * 8, ' ');
	const length = declaredLength ?? padded.length;
	const prefix = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => (i < 4 ? (length >>> (8 * i)) & 0xff : 0));
	return Uint8Array.from([...prefix, ...ascii(padded), ...data]);
}

describe('safetensors layout against the spec', () => {
	// 138 bytes of JSON, padded with 6 spaces to 144 (0x90), then the F32 tensor, then the U8 one.
	const headerJson =
		'{"__metadata__":{"format":"pt"},' +
		'"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},' +
		'"b":{"dtype":"U8","shape":[3],"data_offsets":[8,11]}}';
	const fixture = Uint8Array.from([
		0x90, 0, 0, 0, 0, 0, 0, 0,
		...ascii(headerJson), 0x20, 0x20, 0x20, 0x20, 0x20, 0x20,
		0x00, 0x00, 0x80, 0x3f, // 1.0f
		0x00, 0x00, 0x00, 0xc0, // -2.0f
		0x01, 0x02, 0x03
	]);
	const tensors: TensorInMemory[] = [
		{ name: 'b', dtype: 'U8', shape: [3], data: Uint8Array.of(1, 2, 3) },
		{ name: 'w', dtype: 'F32', shape: [2], data: Float32Array.of(1, -2) }
	];

	it('writes the hand-built fixture byte for byte (wider dtypes first, header padded to 8)', () => {
		expect(headerJson.length).toBe(138);
		expect(fixture.byteLength).toBe(8 + 144 + 11);
		expect(serializeSafetensors(tensors, { format: 'pt' })).toEqual(fixture);
	});

	it('reads the hand-built fixture', () => {
		const file = readSafetensors(fixture);
		expect(file.metadata).toEqual({ format: 'pt' });
		expect(file.names()).toEqual(['w', 'b']);
		expect(file.info('w')).toEqual({ name: 'w', dtype: 'F32', shape: [2], dataOffsets: [0, 8] });
		expect(file.tensor('w')).toEqual(Float32Array.of(1, -2));
		expect(file.tensor('b')).toEqual(Uint8Array.of(1, 2, 3));
		expect(file.float32('b')).toEqual(Float32Array.of(1, 2, 3));
		expect(() => file.tensor('missing')).toThrow(/no tensor named "missing"/);
	});

	it('writes the same bytes to disk as in memory', async () => {
		const path = join(dir, 'fixture.safetensors');
		await writeSafetensors(path, tensors, { format: 'pt' });
		expect(new Uint8Array(await readFile(path))).toEqual(fixture);
	});
});

describe('safetensors round-trip', () => {
	const values = Float32Array.of(0, 1, -1.5, 0.1, 3.14159, -65504, 1e-3);

	it('round-trips every dtype, converting float32 to F16/BF16 and back', () => {
		const bytes = serializeSafetensors([
			{ name: 'f32', dtype: 'F32', shape: [7], data: values },
			{ name: 'f16', dtype: 'F16', shape: [7], data: values },
			{ name: 'bf16', dtype: 'BF16', shape: [7, 1], data: values },
			{ name: 'i8', dtype: 'I8', shape: [2], data: Int8Array.of(-128, 127) },
			{ name: 'u8', dtype: 'U8', shape: [2], data: Uint8Array.of(0, 255) },
			{ name: 'i32', dtype: 'I32', shape: [1, 2], data: Int32Array.of(-7, 2 ** 31 - 1) },
			{ name: 'i64', dtype: 'I64', shape: [2], data: BigInt64Array.of(-1n, 2n ** 40n) },
			{ name: 'empty', dtype: 'F32', shape: [0, 4], data: new Float32Array(0) },
			{ name: 'scalar', dtype: 'F32', shape: [], data: Float32Array.of(42) }
		]);
		const file = readSafetensors(bytes);
		expect(file.float32('f32')).toEqual(values);
		const f16 = file.float32('f16');
		const bf16 = file.float32('bf16');
		values.forEach((value, i) => {
			expect(Math.abs(f16[i] - value)).toBeLessThanOrEqual(Math.abs(value) * 2 ** -11 + 2 ** -24);
			expect(Math.abs(bf16[i] - value)).toBeLessThanOrEqual(Math.abs(value) * 2 ** -8);
		});
		expect(file.info('bf16').shape).toEqual([7, 1]);
		expect(file.tensor('f16')).toBeInstanceOf(Uint16Array);
		expect(file.tensor('i8')).toEqual(Int8Array.of(-128, 127));
		expect(file.tensor('u8')).toEqual(Uint8Array.of(0, 255));
		expect(file.tensor('i32')).toEqual(Int32Array.of(-7, 2 ** 31 - 1));
		expect(file.tensor('i64')).toEqual(BigInt64Array.of(-1n, 2n ** 40n));
		expect(file.float32('i64')).toEqual(Float32Array.of(-1, 2 ** 40));
		expect(file.tensor('empty')).toHaveLength(0);
		expect(file.float32('scalar')).toEqual(Float32Array.of(42));
		// Wider dtypes are laid out first, so every tensor sits on its natural alignment.
		for (const name of file.names()) {
			const { dtype, dataOffsets } = file.info(name);
			expect(dataOffsets[0] % dtypeByteSize(dtype)).toBe(0);
		}
	});

	it('streams to disk calling lazy producers once each, and reads tensors lazily by path', async () => {
		const path = join(dir, 'lazy.safetensors');
		const calls: string[] = [];
		const layer = (name: string, fill: number) => ({
			name,
			dtype: 'BF16' as const,
			shape: [64, 32],
			data: () => {
				calls.push(name);
				return new Float32Array(64 * 32).fill(fill);
			}
		});
		await writeSafetensors(path, [layer('model.layers.0.mlp.up_proj.weight', 0.5), layer('model.norm.weight', -2)], {
			format: 'pt'
		});
		expect(calls).toEqual(['model.layers.0.mlp.up_proj.weight', 'model.norm.weight']);
		expect(await readdir(dir)).not.toContain('lazy.safetensors.partial');

		const file = await openSafetensors(path);
		try {
			expect(file.metadata).toEqual({ format: 'pt' });
			expect(file.names()).toHaveLength(2);
			const norm = await file.float32('model.norm.weight');
			expect(norm).toHaveLength(64 * 32);
			expect(norm.every((v) => v === -2)).toBe(true);
			expect((await file.rawBytes('model.layers.0.mlp.up_proj.weight')).byteLength).toBe(64 * 32 * 2);
		} finally {
			await file.close();
		}
	});

	it('leaves no file behind when a tensor fails to produce its data', async () => {
		const path = join(dir, 'broken.safetensors');
		await expect(
			writeSafetensors(path, [{ name: 'x', dtype: 'F32', shape: [3], data: Float32Array.of(1, 2) }])
		).rejects.toThrow(/tensor "x": shape \[3\] needs 3 values but 2 were given/);
		expect((await readdir(dir)).filter((name) => name.startsWith('broken'))).toEqual([]);
	});

	it('refuses array types that do not match the dtype and duplicate names', () => {
		expect(() =>
			serializeSafetensors([{ name: 'x', dtype: 'I32', shape: [1], data: Float32Array.of(1) }])
		).toThrow(/tensor "x": a Float32Array cannot be stored as I32/);
		const t = { name: 'x', dtype: 'U8' as const, shape: [1], data: Uint8Array.of(1) };
		expect(() => serializeSafetensors([t, t])).toThrow(/listed twice/);
	});
});

describe('safetensors header validation', () => {
	const entry = (dtype: string, shape: number[], begin: number, end: number) =>
		JSON.stringify({ dtype, shape, data_offsets: [begin, end] });

	it.each([
		['overlapping tensors', `{"a":${entry('F32', [2], 0, 8)},"b":${entry('F32', [2], 4, 12)}}`, 12, /tensor "b" overlaps tensor "a"/],
		['an offset past the data', `{"a":${entry('F32', [2], 0, 8)}}`, 4, /tensor "a": data_offsets end 8 is beyond the 4-byte data section/],
		['an unknown dtype', `{"a":${entry('F8_E9', [1], 0, 1)}}`, 1, /tensor "a": unsupported dtype "F8_E9"/],
		['a size that does not match the shape', `{"a":${entry('F16', [3], 0, 4)}}`, 4, /tensor "a": holds 4 bytes but F16 \[3\] needs 6/],
		['a hole in the data', `{"a":${entry('U8', [1], 0, 1)},"b":${entry('U8', [1], 2, 3)}}`, 3, /tensor "b" starts at 2, leaving a hole/],
		['unindexed trailing bytes', `{"a":${entry('U8', [1], 0, 1)}}`, 2, /cover 1 bytes but the data section holds 2/],
		['reversed offsets', `{"a":${entry('U8', [0], 1, 0)}}`, 1, /tensor "a": data_offsets begin 1 is after end 0/],
		['broken JSON', '{"a":', 0, /not valid JSON/],
		['a header that is not an object', '[1,2]', 0, /must start with '\{'/],
		['non-string metadata', '{"__metadata__":{"epoch":3}}', 0, /__metadata__ value "epoch" must be a string/]
	])('rejects %s', (_case, json, dataBytes, message) => {
		expect(() => readSafetensors(handBuilt(json, new Array<number>(dataBytes).fill(0)))).toThrow(message);
	});

	it('rejects a header length that runs past the file or a file too short to hold one', () => {
		expect(() => readSafetensors(handBuilt('{}', [], 4096))).toThrow(/runs past the end/);
		expect(() => readSafetensors(Uint8Array.of(1, 0, 0))).toThrow(/shorter than the 8-byte header length/);
		const huge = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0x10);
		expect(() => readSafetensors(huge)).toThrow(/exceeds/);
	});

	it('names the file when opening a corrupt one from disk', async () => {
		const path = join(dir, 'corrupt.safetensors');
		await writeSafetensors(path, []);
		const bytes = await readFile(path);
		bytes[8] = 0x5b; // '[' where '{' must be
		await writeFile(path, bytes);
		await expect(openSafetensors(path)).rejects.toThrow(`${path}: header must start with '{'`);
	});
});
