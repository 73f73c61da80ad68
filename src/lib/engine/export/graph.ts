// A small builder for ONNX graphs: named inputs and outputs, initializers, and op nodes whose
// outputs get fresh names. The layer helpers (linear, rmsNorm, layerNorm, gelu) compose standard
// opset-17 ops only, so onnxruntime's CPU provider (and any other runtime) runs the result.
//
// Weights come in the engine's (out, in) layout and are stored transposed (in, out), so a linear
// layer is one MatMul. With int8 on, each weight is stored as int8 with one scale per output
// column and read through DequantizeLinear (axis 1) before its MatMul: weight-only quantisation,
// activations stay fp32.

import { DataType, encodeModel, type AttributeValue, type DataTypeCode, type Dim, type NodeData, type TensorData, type ValueInfo } from './protobuf';
import { quantizeColumns } from './quantize';

export const OPSET = 17;
/** IR version 8 goes with opset 17 (onnx 1.12); onnxruntime reads it. */
const IR_VERSION = 8;

export type Precision = 'fp32' | 'int8';

function rawBytes(a: Float32Array | Int8Array | BigInt64Array | Uint8Array): Uint8Array {
	return new Uint8Array(a.buffer, a.byteOffset, a.byteLength).slice();
}

/** (out, in) row-major -> (in, out) row-major. */
export function transpose(w: Float32Array, out: number, inFeatures: number): Float32Array {
	const t = new Float32Array(w.length);
	for (let o = 0; o < out; o++) for (let i = 0; i < inFeatures; i++) t[i * out + o] = w[o * inFeatures + i];
	return t;
}

export class GraphBuilder {
	private readonly nodes: NodeData[] = [];
	private readonly initializers: TensorData[] = [];
	private readonly inputs: ValueInfo[] = [];
	private readonly outputs: ValueInfo[] = [];
	private readonly constants = new Map<string, string>();
	private counter = 0;

	constructor(
		readonly name: string,
		readonly precision: Precision = 'fp32'
	) {}

	input(name: string, dataType: DataTypeCode, dims: readonly Dim[]): string {
		this.inputs.push({ name, dataType, dims });
		return name;
	}

	/**
	 * Declares `value` as the graph output `name` and returns that name for later nodes. The node that
	 * made `value` is renamed to write `name` itself: an Identity between them would copy the tensor on
	 * every run (onnxruntime keeps an Identity that feeds a graph output), and the key and value caches
	 * are the largest tensors a decoding step moves. A graph input or initializer goes through an Identity.
	 */
	output(name: string, value: string, dataType: DataTypeCode, dims: readonly Dim[]): string {
		const producer = this.nodes.find((n) => n.outputs.includes(value));
		if (producer && !this.outputs.some((o) => o.name === value)) {
			const rename = (names: readonly string[]) => names.map((n) => (n === value ? name : n));
			this.nodes.forEach((node, i) => (this.nodes[i] = { ...node, inputs: rename(node.inputs), outputs: rename(node.outputs) }));
		} else this.nodes.push({ opType: 'Identity', name: `${name}/identity`, inputs: [value], outputs: [name] });
		this.outputs.push({ name, dataType, dims });
		return name;
	}

	/** How many nodes of an op type the graph has. */
	count(opType: string): number {
		return this.nodes.filter((n) => n.opType === opType).length;
	}

	initializer(name: string, data: Float32Array | Int8Array | BigInt64Array, dims: readonly number[]): string {
		const dataType = data instanceof Float32Array ? DataType.FLOAT : data instanceof Int8Array ? DataType.INT8 : DataType.INT64;
		this.initializers.push({ name, dataType, dims, raw: rawBytes(data) });
		return name;
	}

	/** A shared int64 constant vector (shapes, axes, indices). */
	ints(values: readonly number[], scalar = false): string {
		const key = `i${scalar ? 's' : ''}:${values.join(',')}`;
		let name = this.constants.get(key);
		if (!name) {
			name = this.initializer(`const.${this.constants.size}`, BigInt64Array.from(values, (v) => BigInt(v)), scalar ? [] : [values.length]);
			this.constants.set(key, name);
		}
		return name;
	}

	/** A shared float scalar constant. */
	scalar(value: number): string {
		const key = `f:${value}`;
		let name = this.constants.get(key);
		if (!name) {
			name = this.initializer(`const.${this.constants.size}`, Float32Array.of(value), []);
			this.constants.set(key, name);
		}
		return name;
	}

	/** One node with `outputs` fresh result names. */
	opN(opType: string, inputs: readonly string[], outputs: number, attributes?: Record<string, AttributeValue>): string[] {
		const id = this.counter++;
		const names = Array.from({ length: outputs }, (_, i) => `${opType}_${id}${outputs > 1 ? `_${i}` : ''}`);
		this.nodes.push({ opType, name: `${opType}_${id}`, inputs, outputs: names, attributes });
		return names;
	}

	op(opType: string, inputs: readonly string[], attributes?: Record<string, AttributeValue>): string {
		return this.opN(opType, inputs, 1, attributes)[0];
	}

	reshape(x: string, shape: readonly number[]): string {
		return this.op('Reshape', [x, this.ints(shape)]);
	}

	transposed(x: string, perm: readonly number[]): string {
		return this.op('Transpose', [x], { perm: { ints: perm } });
	}

	unsqueeze(x: string, axes: readonly number[]): string {
		return this.op('Unsqueeze', [x, this.ints(axes)]);
	}

	/**
	 * The (in, out) matrix of an engine weight (out, in) named `name`: an fp32 initializer, or int8
	 * values with per-output-column scales through DequantizeLinear.
	 */
	weight(name: string, w: Float32Array, out: number, inFeatures: number): string {
		const t = transpose(w, out, inFeatures);
		if (this.precision === 'fp32') return this.initializer(name, t, [inFeatures, out]);
		const q = quantizeColumns(t, inFeatures, out);
		const values = this.initializer(`${name}.int8`, q.values, [inFeatures, out]);
		const scales = this.initializer(`${name}.scale`, q.scales, [out]);
		const zeros = this.initializer(`${name}.zero_point`, new Int8Array(out), [out]);
		return this.op('DequantizeLinear', [values, scales, zeros], { axis: { int: 1 } });
	}

	/** x (..., in) W^T -> (..., out). */
	linear(x: string, name: string, w: Float32Array, out: number, inFeatures: number): string {
		return this.op('MatMul', [x, this.weight(name, w, out, inFeatures)]);
	}

	/** x * w / sqrt(mean(x^2) + eps) over the last axis. */
	rmsNorm(x: string, weight: string, eps: number): string {
		const meanSquare = this.op('ReduceMean', [this.op('Mul', [x, x])], { axes: { ints: [-1] }, keepdims: { int: 1 } });
		const inv = this.op('Reciprocal', [this.op('Sqrt', [this.op('Add', [meanSquare, this.scalar(eps)])])]);
		return this.op('Mul', [this.op('Mul', [x, inv]), weight]);
	}

	layerNorm(x: string, weight: string, bias: string, eps: number): string {
		return this.op('LayerNormalization', [x, weight, bias], { axis: { int: -1 }, epsilon: { float: eps } });
	}

	/** GELU's tanh approximation (GPT-2's), the engine's gelu. */
	gelu(x: string): string {
		const cube = this.op('Mul', [this.op('Mul', [x, x]), x]);
		const inner = this.op('Mul', [this.op('Add', [x, this.op('Mul', [cube, this.scalar(0.044715)])]), this.scalar(Math.sqrt(2 / Math.PI))]);
		const half = this.op('Mul', [x, this.scalar(0.5)]);
		return this.op('Mul', [half, this.op('Add', [this.op('Tanh', [inner]), this.scalar(1)])]);
	}

	/** x * sigmoid(x) */
	silu(x: string): string {
		return this.op('Mul', [x, this.op('Sigmoid', [x])]);
	}

	get inputInfo(): readonly ValueInfo[] {
		return this.inputs;
	}

	get outputInfo(): readonly ValueInfo[] {
		return this.outputs;
	}

	encode(metadata?: Record<string, string>): Uint8Array {
		const graph = { name: this.name, nodes: this.nodes, initializers: this.initializers, inputs: this.inputs, outputs: this.outputs };
		return encodeModel({ graph, opset: OPSET, irVersion: IR_VERSION, producer: 'swiftboard', metadata });
	}
}
