// The one shared WebAssembly.Memory every tensor lives in, and the two allocators over it:
// - Heap: long-lived blocks (parameters, gradients, optimizer state), exact-size free lists for reuse.
// - StepArena: per-step activations; chunks taken from the Heap once, rewound by reset() every step,
//   so a steady-state training step reuses the same addresses and never grows memory.

const PAGE = 65536;
const ALIGN = 64; // cache line; also keeps every v128 access aligned

export function alignUp(n: number, a: number = ALIGN): number {
	return Math.ceil(n / a) * a;
}

export class SharedHeap {
	readonly memory: WebAssembly.Memory;
	private top: number;
	private readonly free = new Map<number, number[]>();
	private cachedBuffer: ArrayBuffer | SharedArrayBuffer | null = null;
	private f32View = new Float32Array(0);
	private i32View = new Int32Array(0);
	private u8View = new Uint8Array(0);
	/** Bytes obtained from the memory so far (high-water mark). */
	get used(): number {
		return this.top;
	}

	constructor(memory: WebAssembly.Memory, base: number) {
		this.memory = memory;
		this.top = alignUp(base);
	}

	alloc(bytes: number): number {
		const size = alignUp(Math.max(bytes, 1));
		const list = this.free.get(size);
		if (list && list.length > 0) return list.pop() as number;
		const ptr = this.top;
		this.top += size;
		this.ensure(this.top);
		return ptr;
	}

	/** Returns a block to the free list of its size; callers pass the size they allocated. */
	release(ptr: number, bytes: number): void {
		const size = alignUp(Math.max(bytes, 1));
		const list = this.free.get(size);
		if (list) list.push(ptr);
		else this.free.set(size, [ptr]);
	}

	private ensure(end: number): void {
		const have = this.memory.buffer.byteLength;
		if (end <= have) return;
		// Grow in large steps: growth is rare, and each one invalidates every typed-array view.
		const want = Math.max(Math.ceil((end - have) / PAGE), Math.ceil(have / PAGE / 4));
		this.memory.grow(want);
	}

	private refresh(): void {
		const buffer = this.memory.buffer;
		if (buffer === this.cachedBuffer && this.f32View.byteLength === buffer.byteLength) return;
		this.cachedBuffer = buffer;
		this.f32View = new Float32Array(buffer);
		this.i32View = new Int32Array(buffer);
		this.u8View = new Uint8Array(buffer);
	}

	/** Views over the whole memory, renewed after growth. Index with ptr >> 2 (f32/i32) or ptr (u8). */
	get f32(): Float32Array {
		this.refresh();
		return this.f32View;
	}
	get i32(): Int32Array {
		this.refresh();
		return this.i32View;
	}
	get u8(): Uint8Array {
		this.refresh();
		return this.u8View;
	}
}

/** Bump allocator for one training step's activations and their gradients. */
export class StepArena {
	private readonly chunks: { ptr: number; size: number }[] = [];
	private chunk = 0;
	private offset = 0;
	private readonly heap: SharedHeap;
	private readonly chunkBytes: number;

	constructor(heap: SharedHeap, chunkBytes: number = 32 << 20) {
		this.heap = heap;
		this.chunkBytes = chunkBytes;
	}

	alloc(bytes: number): number {
		const size = alignUp(Math.max(bytes, 1));
		for (;;) {
			const current = this.chunks[this.chunk];
			if (current && this.offset + size <= current.size) {
				const ptr = current.ptr + this.offset;
				this.offset += size;
				return ptr;
			}
			if (current && this.chunk + 1 < this.chunks.length) {
				this.chunk++;
				this.offset = 0;
				continue;
			}
			const chunkSize = Math.max(this.chunkBytes, size);
			this.chunks.push({ ptr: this.heap.alloc(chunkSize), size: chunkSize });
			this.chunk = this.chunks.length - 1;
			this.offset = 0;
		}
	}

	/** Forget every allocation; the chunks stay and are handed out again in the same order. */
	reset(): void {
		this.chunk = 0;
		this.offset = 0;
	}

	get reservedBytes(): number {
		return this.chunks.reduce((s, c) => s + c.size, 0);
	}
}
