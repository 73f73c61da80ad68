// A one-node ONNX model (Y = A . B, float32, fixed shapes) encoded by hand, so the benchmark can run
// onnxruntime's MatMul without any model files. Only the protobuf fields the model needs are written.

function varint(n: number): number[] {
	const out: number[] = [];
	let v = n;
	while (v > 127) {
		out.push((v & 127) | 128);
		v = Math.floor(v / 128);
	}
	out.push(v);
	return out;
}

function field(num: number, wireType: number): number[] {
	return varint(num * 8 + wireType);
}

const int = (num: number, v: number) => [...field(num, 0), ...varint(v)];
const bytes = (num: number, b: number[]) => [...field(num, 2), ...varint(b.length), ...b];
const str = (num: number, s: string) => bytes(num, [...new TextEncoder().encode(s)]);

/** ValueInfoProto for a float tensor of fixed shape. */
function tensorInfo(name: string, shape: number[]): number[] {
	const dims = shape.flatMap((d) => bytes(1, int(1, d))); // TensorShapeProto.dim { dim_value }
	const tensorType = [...int(1, 1), ...bytes(2, dims)]; // elem_type FLOAT, shape
	return [...str(1, name), ...bytes(2, bytes(1, tensorType))]; // name, type { tensor_type }
}

export function matmulModel(M: number, K: number, N: number): Uint8Array {
	const node = [...str(1, 'A'), ...str(1, 'B'), ...str(2, 'Y'), ...str(3, 'mm'), ...str(4, 'MatMul')];
	const graph = [...bytes(1, node), ...str(2, 'matmul'), ...bytes(11, tensorInfo('A', [M, K])), ...bytes(11, tensorInfo('B', [K, N])), ...bytes(12, tensorInfo('Y', [M, N]))];
	const opset = [...str(1, ''), ...int(2, 13)];
	return Uint8Array.from([...int(1, 8), ...bytes(8, opset), ...bytes(7, graph)]);
}
