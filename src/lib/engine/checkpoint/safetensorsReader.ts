import { open, type FileHandle } from 'node:fs/promises';
import {
	bytesToTensorData,
	tensorDataToFloat32,
	type TensorData
} from './safetensorsDtypes';
import {
	HEADER_LENGTH_BYTES,
	parseHeader,
	readHeaderLength,
	type SafetensorsHeader,
	type TensorInfo
} from './safetensorsHeader';

function lookup(byName: Map<string, TensorInfo>, name: string): TensorInfo {
	const info = byName.get(name);
	if (!info) throw new RangeError(`no tensor named "${name}" in this safetensors file`);
	return info;
}

function indexByName(header: SafetensorsHeader): Map<string, TensorInfo> {
	return new Map(header.tensors.map((tensor) => [tensor.name, tensor]));
}

/** A safetensors file already in memory; tensor accessors copy, so results own aligned buffers. */
export class SafetensorsBuffer {
	readonly metadata: Record<string, string> | undefined;
	private readonly byName: Map<string, TensorInfo>;

	constructor(
		private readonly bytes: Uint8Array,
		private readonly header: SafetensorsHeader
	) {
		this.metadata = header.metadata;
		this.byName = indexByName(header);
	}

	names(): string[] {
		return this.header.tensors.map((tensor) => tensor.name);
	}

	info(name: string): TensorInfo {
		return lookup(this.byName, name);
	}

	/** A view of the stored bytes, not a copy. */
	rawBytes(name: string): Uint8Array {
		const [begin, end] = this.info(name).dataOffsets;
		const start = this.header.dataStart;
		return this.bytes.subarray(start + begin, start + end);
	}

	/** The values in the dtype's own array type (F16/BF16 as raw 16-bit patterns). */
	tensor(name: string): TensorData {
		return bytesToTensorData(this.info(name).dtype, this.rawBytes(name));
	}

	/** The values widened to float32 (F16/BF16 decoded). */
	float32(name: string): Float32Array {
		return tensorDataToFloat32(this.info(name).dtype, this.tensor(name));
	}
}

export function readSafetensors(bytes: Uint8Array): SafetensorsBuffer {
	const headerLength = readHeaderLength(bytes, bytes.byteLength);
	const json = bytes.subarray(HEADER_LENGTH_BYTES, HEADER_LENGTH_BYTES + headerLength);
	const header = parseHeader(json, bytes.byteLength - HEADER_LENGTH_BYTES - headerLength);
	return new SafetensorsBuffer(bytes, header);
}

async function readExactly(file: FileHandle, length: number, position: number): Promise<Uint8Array> {
	const out = new Uint8Array(length);
	let filled = 0;
	while (filled < length) {
		const { bytesRead } = await file.read(out, filled, length - filled, position + filled);
		if (bytesRead === 0) throw new RangeError(`file ended ${length - filled} bytes early`);
		filled += bytesRead;
	}
	return out;
}

/**
 * A safetensors file on disk. Opening reads only the header; each tensor is read when asked for, so a
 * model bigger than memory can be loaded one tensor at a time. Call close() when done.
 */
export class SafetensorsFile {
	readonly metadata: Record<string, string> | undefined;
	private readonly byName: Map<string, TensorInfo>;

	private constructor(
		private readonly file: FileHandle,
		private readonly header: SafetensorsHeader
	) {
		this.metadata = header.metadata;
		this.byName = indexByName(header);
	}

	static async open(path: string): Promise<SafetensorsFile> {
		const file = await open(path, 'r');
		try {
			const { size } = await file.stat();
			const prefix = await readExactly(file, Math.min(HEADER_LENGTH_BYTES, size), 0);
			const headerLength = readHeaderLength(prefix, size);
			const json = await readExactly(file, headerLength, HEADER_LENGTH_BYTES);
			const header = parseHeader(json, size - HEADER_LENGTH_BYTES - headerLength);
			return new SafetensorsFile(file, header);
		} catch (error) {
			await file.close();
			if (error instanceof Error) error.message = `${path}: ${error.message}`;
			throw error;
		}
	}

	names(): string[] {
		return this.header.tensors.map((tensor) => tensor.name);
	}

	info(name: string): TensorInfo {
		return lookup(this.byName, name);
	}

	async rawBytes(name: string): Promise<Uint8Array> {
		const [begin, end] = this.info(name).dataOffsets;
		return readExactly(this.file, end - begin, this.header.dataStart + begin);
	}

	async tensor(name: string): Promise<TensorData> {
		return bytesToTensorData(this.info(name).dtype, await this.rawBytes(name));
	}

	async float32(name: string): Promise<Float32Array> {
		return tensorDataToFloat32(this.info(name).dtype, await this.tensor(name));
	}

	close(): Promise<void> {
		return this.file.close();
	}
}

export function openSafetensors(path: string): Promise<SafetensorsFile> {
	return SafetensorsFile.open(path);
}
