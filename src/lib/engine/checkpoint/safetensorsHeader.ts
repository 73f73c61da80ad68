import { dtypeByteSize, elementCount, isSafetensorsDtype, type SafetensorsDtype } from './safetensorsDtypes';

/**
 * The safetensors layout: an 8-byte little-endian unsigned header length N, N bytes of UTF-8 JSON
 * (starting with '{', padded with spaces), then the data section. The JSON maps each tensor name to
 * {dtype, shape, data_offsets: [begin, end]} with offsets relative to the data section, plus an optional
 * "__metadata__" object of string values. The data section must be covered exactly, with no holes.
 */

export const HEADER_LENGTH_BYTES = 8;
/** Same cap as the reference implementation: a bigger header is corrupt or hostile. */
export const MAX_HEADER_BYTES = 100_000_000;
const METADATA_KEY = '__metadata__';

export interface TensorInfo {
	name: string;
	dtype: SafetensorsDtype;
	shape: number[];
	/** [begin, end) byte range inside the data section. */
	dataOffsets: [number, number];
}

export interface SafetensorsHeader {
	/** Tensors in the order their bytes appear in the data section. */
	tensors: TensorInfo[];
	metadata: Record<string, string> | undefined;
	/** Absolute file offset where the data section starts (8 + N). */
	dataStart: number;
}

export class SafetensorsFormatError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'SafetensorsFormatError';
	}
}

/** Reads N from the first 8 bytes and checks that the header fits in the file. */
export function readHeaderLength(prefix: Uint8Array, fileByteLength: number): number {
	if (prefix.byteLength < HEADER_LENGTH_BYTES || fileByteLength < HEADER_LENGTH_BYTES) {
		throw new SafetensorsFormatError('file is shorter than the 8-byte header length');
	}
	const view = new DataView(prefix.buffer, prefix.byteOffset, HEADER_LENGTH_BYTES);
	const length = view.getBigUint64(0, true);
	if (length > BigInt(MAX_HEADER_BYTES)) {
		throw new SafetensorsFormatError(`header length ${length} exceeds the ${MAX_HEADER_BYTES}-byte limit`);
	}
	const headerLength = Number(length);
	if (HEADER_LENGTH_BYTES + headerLength > fileByteLength) {
		throw new SafetensorsFormatError(
			`header length ${headerLength} runs past the end of the ${fileByteLength}-byte file`
		);
	}
	return headerLength;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isByteOffset(value: unknown): value is number {
	return Number.isSafeInteger(value) && (value as number) >= 0;
}

function parseMetadata(value: unknown): Record<string, string> {
	if (!isPlainObject(value)) throw new SafetensorsFormatError('__metadata__ must be an object');
	for (const [key, entry] of Object.entries(value)) {
		if (typeof entry !== 'string') {
			throw new SafetensorsFormatError(`__metadata__ value "${key}" must be a string`);
		}
	}
	return value as Record<string, string>;
}

function parseTensorInfo(name: string, value: unknown, dataByteLength: number): TensorInfo {
	const fail = (problem: string) => new SafetensorsFormatError(`tensor "${name}": ${problem}`);
	if (!isPlainObject(value)) throw fail('entry must be an object');
	const { dtype, shape, data_offsets: offsets } = value;
	if (!isSafetensorsDtype(dtype)) throw fail(`unsupported dtype ${JSON.stringify(dtype)}`);
	if (!Array.isArray(shape) || !shape.every(isByteOffset)) {
		throw fail('shape must be an array of non-negative integers');
	}
	if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isByteOffset)) {
		throw fail('data_offsets must be [begin, end] with non-negative integers');
	}
	const [begin, end] = offsets as [number, number];
	if (begin > end) throw fail(`data_offsets begin ${begin} is after end ${end}`);
	if (end > dataByteLength) {
		throw fail(`data_offsets end ${end} is beyond the ${dataByteLength}-byte data section`);
	}
	const expected = elementCount(shape) * dtypeByteSize(dtype);
	if (end - begin !== expected) {
		throw fail(`holds ${end - begin} bytes but ${dtype} ${JSON.stringify(shape)} needs ${expected}`);
	}
	return { name, dtype, shape: [...shape], dataOffsets: [begin, end] };
}

/** Tensors must tile the data section exactly: no overlap, no gap, nothing left over. */
function assertDataSectionTiled(tensors: TensorInfo[], dataByteLength: number): void {
	let covered = 0;
	let previous: TensorInfo | undefined;
	for (const tensor of tensors) {
		const [begin] = tensor.dataOffsets;
		if (begin < covered && previous) {
			throw new SafetensorsFormatError(
				`tensor "${tensor.name}" overlaps tensor "${previous.name}" (bytes from ${begin} to ${covered})`
			);
		}
		if (begin > covered) {
			throw new SafetensorsFormatError(
				`tensor "${tensor.name}" starts at ${begin}, leaving a hole after byte ${covered} of the data section`
			);
		}
		covered = tensor.dataOffsets[1];
		previous = tensor;
	}
	if (covered !== dataByteLength) {
		throw new SafetensorsFormatError(
			`tensors cover ${covered} bytes but the data section holds ${dataByteLength}`
		);
	}
}

/** Parses and validates the JSON header; `dataByteLength` is the file size minus 8 + N. */
export function parseHeader(json: Uint8Array, dataByteLength: number): SafetensorsHeader {
	const text = new TextDecoder('utf-8', { fatal: false }).decode(json);
	if (!text.startsWith('{')) throw new SafetensorsFormatError("header must start with '{'");
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch (error) {
		throw new SafetensorsFormatError(`header is not valid JSON: ${(error as Error).message}`);
	}
	if (!isPlainObject(parsed)) throw new SafetensorsFormatError('header must be a JSON object');
	let metadata: Record<string, string> | undefined;
	const tensors: TensorInfo[] = [];
	for (const [name, value] of Object.entries(parsed)) {
		if (name === METADATA_KEY) metadata = parseMetadata(value);
		else tensors.push(parseTensorInfo(name, value, dataByteLength));
	}
	tensors.sort((a, b) => a.dataOffsets[0] - b.dataOffsets[0] || a.dataOffsets[1] - b.dataOffsets[1]);
	assertDataSectionTiled(tensors, dataByteLength);
	return { tensors, metadata, dataStart: HEADER_LENGTH_BYTES + json.byteLength };
}

export interface TensorLayoutEntry {
	name: string;
	dtype: SafetensorsDtype;
	shape: readonly number[];
}

export interface HeaderPlan {
	/** The 8-byte length followed by the padded JSON: everything before the data section. */
	bytes: Uint8Array;
	/** Entries in the order their data must be written. */
	order: TensorLayoutEntry[];
	offsets: Map<string, [number, number]>;
	dataByteLength: number;
}

/**
 * Lays tensors out and builds the header. Wider dtypes go first (stable otherwise), as the reference
 * writer does, so that with the 8-byte-aligned data start every tensor lands on its natural alignment.
 */
export function planHeader(
	entries: readonly TensorLayoutEntry[],
	metadata?: Record<string, string>
): HeaderPlan {
	const names = new Set<string>();
	for (const entry of entries) {
		if (entry.name === METADATA_KEY) throw new SafetensorsFormatError('"__metadata__" is not a tensor name');
		if (names.has(entry.name)) throw new SafetensorsFormatError(`tensor "${entry.name}" is listed twice`);
		if (!isSafetensorsDtype(entry.dtype)) {
			throw new SafetensorsFormatError(`tensor "${entry.name}": unsupported dtype ${String(entry.dtype)}`);
		}
		if (!entry.shape.every(isByteOffset)) {
			throw new SafetensorsFormatError(`tensor "${entry.name}": shape must be non-negative integers`);
		}
		names.add(entry.name);
	}
	const order = [...entries].sort((a, b) => dtypeByteSize(b.dtype) - dtypeByteSize(a.dtype));
	// No prototype, so a tensor literally named "__proto__" is stored like any other name.
	const header = Object.create(null) as Record<string, unknown>;
	if (metadata) header[METADATA_KEY] = parseMetadata(metadata);
	const offsets = new Map<string, [number, number]>();
	let cursor = 0;
	for (const entry of order) {
		const end = cursor + elementCount(entry.shape) * dtypeByteSize(entry.dtype);
		offsets.set(entry.name, [cursor, end]);
		header[entry.name] = { dtype: entry.dtype, shape: entry.shape, data_offsets: [cursor, end] };
		cursor = end;
	}
	const json = new TextEncoder().encode(JSON.stringify(header));
	const paddedLength = Math.ceil(json.byteLength / 8) * 8;
	const bytes = new Uint8Array(HEADER_LENGTH_BYTES + paddedLength).fill(0x20, HEADER_LENGTH_BYTES);
	new DataView(bytes.buffer).setBigUint64(0, BigInt(paddedLength), true);
	bytes.set(json, HEADER_LENGTH_BYTES);
	return { bytes, order, offsets, dataByteLength: cursor };
}
