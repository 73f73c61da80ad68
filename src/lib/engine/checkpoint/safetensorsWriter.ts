import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { dtypeByteSize, elementCount, tensorDataToBytes, type SafetensorsDtype, type TensorData } from './safetensorsDtypes';
import { planHeader, SafetensorsFormatError } from './safetensorsHeader';

export interface TensorToSave {
	name: string;
	dtype: SafetensorsDtype;
	shape: readonly number[];
	/**
	 * The values, or a function producing them. A function is only called when its tensor is written,
	 * so a streaming write holds one tensor's bytes at a time.
	 */
	data: TensorData | (() => TensorData | Promise<TensorData>);
}

/** A tensor whose values are already at hand. */
export type TensorInMemory = TensorToSave & { data: TensorData };

/** One write call may write less than asked (large buffers), so loop until every byte is down. */
async function writeAll(file: FileHandle, bytes: Uint8Array, position: number): Promise<number> {
	let written = 0;
	while (written < bytes.byteLength) {
		const { bytesWritten } = await file.write(bytes, written, bytes.byteLength - written, position + written);
		written += bytesWritten;
	}
	return position + written;
}

function checkedBytes(tensor: TensorToSave, data: TensorData, expected: [number, number]): Uint8Array {
	const bytes = tensorDataToBytes(tensor.name, tensor.dtype, data);
	const needed = expected[1] - expected[0];
	if (bytes.byteLength !== needed) {
		const count = elementCount(tensor.shape);
		throw new SafetensorsFormatError(
			`tensor "${tensor.name}": shape ${JSON.stringify(tensor.shape)} needs ${count} values ` +
				`but ${bytes.byteLength / dtypeByteSize(tensor.dtype)} were given`
		);
	}
	return bytes;
}

/** The whole file in memory; for small files and tests. Writing to disk should use writeSafetensors. */
export function serializeSafetensors(
	tensors: readonly TensorInMemory[],
	metadata?: Record<string, string>
): Uint8Array {
	const plan = planHeader(tensors, metadata);
	const out = new Uint8Array(plan.bytes.byteLength + plan.dataByteLength);
	out.set(plan.bytes);
	const byName = new Map(tensors.map((tensor) => [tensor.name, tensor]));
	for (const entry of plan.order) {
		const tensor = byName.get(entry.name) as TensorInMemory;
		const offsets = plan.offsets.get(entry.name) as [number, number];
		out.set(checkedBytes(tensor, tensor.data, offsets), plan.bytes.byteLength + offsets[0]);
	}
	return out;
}

/**
 * Streams a safetensors file to `path`: the header first, then each tensor in layout order. It writes
 * to `<path>.partial` and renames at the end, so a crash never leaves a truncated checkpoint behind
 * under the real name.
 */
export async function writeSafetensors(
	path: string,
	tensors: readonly TensorToSave[],
	metadata?: Record<string, string>
): Promise<void> {
	const plan = planHeader(tensors, metadata);
	const byName = new Map(tensors.map((tensor) => [tensor.name, tensor]));
	const partialPath = `${path}.partial`;
	const file = await open(partialPath, 'w');
	try {
		let position = await writeAll(file, plan.bytes, 0);
		for (const entry of plan.order) {
			const tensor = byName.get(entry.name) as TensorToSave;
			const data = typeof tensor.data === 'function' ? await tensor.data() : tensor.data;
			const bytes = checkedBytes(tensor, data, plan.offsets.get(entry.name) as [number, number]);
			position = await writeAll(file, bytes, position);
		}
		await file.close();
	} catch (error) {
		await file.close().catch(() => undefined);
		await rm(partialPath, { force: true });
		throw error;
	}
	await rename(partialPath, path);
}
