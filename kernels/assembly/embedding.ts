// Embedding lookup: out(N, C) = table[ids[n]], and its backward scatter-add into the table gradient.

/** Rows [r0, r1) of out. */
export function embeddingForward(table: usize, ids: usize, out: usize, C: i32, r0: i32, r1: i32): void {
  for (let r = r0; r < r1; r++) {
    const id = load<i32>(ids + (<usize>r << 2));
    memory.copy(out + (<usize>(r * C) << 2), table + (<usize>(id * C) << 2), <usize>C << 2);
  }
}

/**
 * dtable[ids[n]] += dout[n]. Repeated ids collide, so threads split the columns [c0, c1) instead of rows.
 */
export function embeddingBackward(dout: usize, ids: usize, dtable: usize, N: i32, C: i32, c0: i32, c1: i32): void {
  for (let r = 0; r < N; r++) {
    const id = load<i32>(ids + (<usize>r << 2));
    const src = dout + (<usize>(r * C) << 2);
    const dst = dtable + (<usize>(id * C) << 2);
    let j = c0;
    for (; j + 4 <= c1; j += 4) {
      const o = <usize>j << 2;
      v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
    }
    for (; j < c1; j++) {
      const o = <usize>j << 2;
      store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o));
    }
  }
}
