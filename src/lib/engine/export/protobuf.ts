// The few ONNX protobuf messages an exported model needs (ModelProto, GraphProto, NodeProto,
// AttributeProto, TensorProto, ValueInfoProto), encoded by hand. Field numbers follow onnx.proto
// (proto2: repeated scalars are written unpacked, which every reader accepts). Tensors travel as
// raw_data, little-endian, so a weight matrix is one copy of its bytes.

/** Growable byte buffer with protobuf's wire encodings. */
class Writer {
	private buf = new Uint8Array(256);
	private len = 0;

	private reserve(n: number): void {
		if (this.len + n <= this.buf.length) return;
		let size = this.buf.length * 2;
		while (size < this.len + n) size *= 2;
		const next = new Uint8Array(size);
		next.set(this.buf.subarray(0, this.len));
		this.buf = next;
	}

	/** Unsigned varint; negative int64 values go through BigInt as 10-byte two's complement. */
	varint(v: number | bigint): this {
		let n = typeof v === 'bigint' ? BigInt.asUintN(64, v) : v < 0 ? BigInt.asUintN(64, BigInt(v)) : v;
		this.reserve(10);
		if (typeof n === 'number') {
			while (n > 127) {
				this.buf[this.len++] = (n % 128) | 128;
				n = Math.floor(n / 128);
			}
			this.buf[this.len++] = n;
			return this;
		}
		while (n > 127n) {
			this.buf[this.len++] = Number(n & 127n) | 128;
			n >>= 7n;
		}
		this.buf[this.len++] = Number(n);
		return this;
	}

	tag(field: number, wire: number): this {
		return this.varint(field * 8 + wire);
	}

	int(field: number, v: number | bigint): this {
		return this.tag(field, 0).varint(v);
	}

	float(field: number, v: number): this {
		this.tag(field, 5);
		this.reserve(4);
		new DataView(this.buf.buffer, this.buf.byteOffset + this.len, 4).setFloat32(0, v, true);
		this.len += 4;
		return this;
	}

	bytes(field: number, b: Uint8Array): this {
		this.tag(field, 2).varint(b.length);
		this.reserve(b.length);
		this.buf.set(b, this.len);
		this.len += b.length;
		return this;
	}

	string(field: number, s: string): this {
		return this.bytes(field, new TextEncoder().encode(s));
	}

	finish(): Uint8Array {
		return this.buf.slice(0, this.len);
	}
}

/** onnx.TensorProto.DataType values used here. */
export const DataType = { FLOAT: 1, INT8: 3, INT64: 7, BOOL: 9 } as const;
export type DataTypeCode = (typeof DataType)[keyof typeof DataType];

export interface TensorData {
	name: string;
	dataType: DataTypeCode;
	dims: readonly number[];
	/** Little-endian element bytes. */
	raw: Uint8Array;
}

export type AttributeValue = { float: number } | { int: number } | { ints: readonly number[] } | { tensor: TensorData };

export interface NodeData {
	opType: string;
	name: string;
	inputs: readonly string[];
	outputs: readonly string[];
	attributes?: Record<string, AttributeValue>;
}

/** A dimension: a fixed size, or a symbolic name shared by every tensor with that dynamic axis. */
export type Dim = number | string;

export interface ValueInfo {
	name: string;
	dataType: DataTypeCode;
	dims: readonly Dim[];
}

export interface GraphData {
	name: string;
	nodes: readonly NodeData[];
	initializers: readonly TensorData[];
	inputs: readonly ValueInfo[];
	outputs: readonly ValueInfo[];
}

export interface ModelData {
	graph: GraphData;
	opset: number;
	irVersion: number;
	producer: string;
	metadata?: Record<string, string>;
}

function tensorProto(t: TensorData): Uint8Array {
	const w = new Writer();
	for (const d of t.dims) w.int(1, d);
	return w.int(2, t.dataType).string(8, t.name).bytes(9, t.raw).finish();
}

// AttributeProto.AttributeType
const ATTR = { FLOAT: 1, INT: 2, TENSOR: 4, INTS: 7 } as const;

function attributeProto(name: string, a: AttributeValue): Uint8Array {
	const w = new Writer().string(1, name);
	if ('float' in a) w.float(2, a.float).int(20, ATTR.FLOAT);
	else if ('int' in a) w.int(3, a.int).int(20, ATTR.INT);
	else if ('ints' in a) {
		for (const v of a.ints) w.int(8, v);
		w.int(20, ATTR.INTS);
	} else w.bytes(5, tensorProto(a.tensor)).int(20, ATTR.TENSOR);
	return w.finish();
}

function nodeProto(n: NodeData): Uint8Array {
	const w = new Writer();
	for (const i of n.inputs) w.string(1, i);
	for (const o of n.outputs) w.string(2, o);
	w.string(3, n.name).string(4, n.opType);
	for (const [k, a] of Object.entries(n.attributes ?? {})) w.bytes(5, attributeProto(k, a));
	return w.finish();
}

function valueInfoProto(v: ValueInfo): Uint8Array {
	const shape = new Writer();
	for (const d of v.dims) shape.bytes(1, typeof d === 'number' ? new Writer().int(1, d).finish() : new Writer().string(2, d).finish());
	const tensorType = new Writer().int(1, v.dataType).bytes(2, shape.finish()).finish();
	return new Writer().string(1, v.name).bytes(2, new Writer().bytes(1, tensorType).finish()).finish();
}

function graphProto(g: GraphData): Uint8Array {
	const w = new Writer();
	for (const n of g.nodes) w.bytes(1, nodeProto(n));
	w.string(2, g.name);
	for (const t of g.initializers) w.bytes(5, tensorProto(t));
	for (const v of g.inputs) w.bytes(11, valueInfoProto(v));
	for (const v of g.outputs) w.bytes(12, valueInfoProto(v));
	return w.finish();
}

/** A serialised onnx.ModelProto. */
export function encodeModel(m: ModelData): Uint8Array {
	const w = new Writer().int(1, m.irVersion).string(2, m.producer);
	w.bytes(7, graphProto(m.graph));
	w.bytes(8, new Writer().string(1, '').int(2, m.opset).finish());
	for (const [key, value] of Object.entries(m.metadata ?? {})) w.bytes(14, new Writer().string(1, key).string(2, value).finish());
	return w.finish();
}
