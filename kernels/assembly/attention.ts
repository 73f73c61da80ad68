// Scaled-dot-product attention over blocks of up to BLOCK_MAX queries of one head. The thread's
// scratch holds the block's scores transposed, P^T (row u: key u against each of the block's BQ
// queries), never a T x T matrix per head. Forward keeps the row log-sum-exp (B, NH, T) so backward
// recomputes probabilities (flash-attention style) instead of storing them.
//
// Every product is a register-tiled matrix product (attentionTiles.ts): a 4 x 8 tile of the result
// stays in registers for the whole reduction, one splatted float of the left operand times a row of
// the right per step.
//   S^T = k (q scale)^T and dP^T = v dout^T: 4 keys x 8 queries over the head; q and dout of the
//     block are first packed transposed so a step reads 8 queries' floats at once.
//   out = P v and dq = dS k: 4 queries x 8 head floats over the keys.
//   dv = P^T dout and dk = dS^T q: 4 keys x 8 head floats over the block's queries, so a dk/dv row
//     is read and written once per block instead of once per (query, key) pair.
// The softmax runs down the columns of P^T, four queries per vector, so it needs no horizontal sums.
// Backward overwrites P^T with dS^T once dv has used it.
//
// q: rows (b, t) with stride qStride floats, head h at h*hs. k, v: stride kvStride, kv head g at g*hs.
// NH query heads share NKV kv heads (grouped-query attention when NKV < NH). out: stride oStride.
// Work is split over (b, g) pairs: every q head of a group writes the same dk/dv rows, so a group
// stays on one thread.
//
// causal != 0: query t sees keys 0..t (a decoder); 0: every key (an encoder, which reads the whole
// clip). Causal blocks skip the tiles above the diagonal and mask the ones across it.

import { ADD, headTiles, keyTiles, packT, ROW_SCALE, STORE, TO_DS } from './attentionTiles';
import { exp4, fma4 } from './simd';

/** Floats of per-thread scratch the caller reserves (attentionScratchBytes). */
const SCRATCH_FLOATS: i32 = 1 << 18;
/** Query rows per block: enough that dk/dv rows are touched rarely, few enough to stay in cache. */
const BLOCK_MAX: i32 = 64;

/**
 * Queries per block (a multiple of 8): the block's P^T (Tp rows), q^T and dout^T (hs rows each) and
 * two per-query floats all fit the scratch. 0 when not even 8 fit.
 */
// @ts-ignore: decorator
@inline function blockCols(T: i32, hs: i32): i32 {
  const fit = SCRATCH_FLOATS / (((T + 3) & ~3) + 2 * hs + 2);
  return min(min(BLOCK_MAX, (T + 7) & ~7), fit & ~7);
}

/** Per-thread scratch the attention kernels need, bytes. */
export function attentionScratchBytes(): i32 {
  return SCRATCH_FLOATS * 4;
}

/** Queries per block for sequence length T and head size hs; 0 when T is too long for the scratch. */
export function attentionBlock(T: i32, hs: i32): i32 {
  return blockCols(T, hs);
}

/** Lanes l with l >= u - diag: the queries diag + l that see key u. */
// @ts-ignore: decorator
@inline function seen(u: i32, diag: i32): v128 {
  return i32x4.gt_s(i32x4(0, 1, 2, 3), i32x4.splat(u - diag - 1));
}

/**
 * Softmax of four columns of P^T in place (queries diag..diag+3 of the block, at p): rows below nLo
 * are seen by all four, rows nLo..nMax-1 only by the lanes that reach them (causal). Writes the four
 * log-sum-exps to lse (lanes < lanes) and 1 / sum to inv; rows from nMax on are left as they are.
 */
// @ts-ignore: decorator
@inline function softmaxCols(p: usize, colB: usize, nLo: i32, nMax: i32, diag: i32, lse: usize, lanes: i32, inv: usize): void {
  const ninf = f32x4.splat(-Infinity);
  let m0 = ninf, m1 = ninf;
  let u = 0;
  for (; u + 2 <= nLo; u += 2) {
    const o = p + <usize>u * colB;
    m0 = f32x4.pmax(m0, v128.load(o));
    m1 = f32x4.pmax(m1, v128.load(o + colB));
  }
  if (u < nLo) m0 = f32x4.pmax(m0, v128.load(p + <usize>u * colB));
  for (u = nLo; u < nMax; u++) m1 = f32x4.pmax(m1, v128.bitselect(v128.load(p + <usize>u * colB), ninf, seen(u, diag)));
  const mx = f32x4.pmax(m0, m1);
  let s0 = f32x4.splat(0), s1 = f32x4.splat(0);
  for (u = 0; u + 2 <= nLo; u += 2) {
    const o = p + <usize>u * colB;
    const e0 = exp4(f32x4.sub(v128.load(o), mx));
    const e1 = exp4(f32x4.sub(v128.load(o + colB), mx));
    v128.store(o, e0);
    v128.store(o + colB, e1);
    s0 = f32x4.add(s0, e0);
    s1 = f32x4.add(s1, e1);
  }
  for (; u < nMax; u++) {
    const o = p + <usize>u * colB;
    let e = exp4(f32x4.sub(v128.load(o), mx));
    if (u >= nLo) e = v128.and(e, seen(u, diag));
    v128.store(o, e);
    s0 = f32x4.add(s0, e);
  }
  const sum = f32x4.add(s0, s1);
  v128.store(inv, f32x4.div(f32x4.splat(1), sum));
  for (let l = 0; l < lanes; l++) store<f32>(lse + (<usize>l << 2), lane(mx, l) + Mathf.log(lane(sum, l)));
}

// @ts-ignore: decorator
@inline function lane(v: v128, l: i32): f32 {
  return l == 0 ? f32x4.extract_lane(v, 0) : l == 1 ? f32x4.extract_lane(v, 1) : l == 2 ? f32x4.extract_lane(v, 2) : f32x4.extract_lane(v, 3);
}

/** Four columns of S^T into P^T = e^(S^T - lse) in place, with the same rows and masks as softmaxCols. */
// @ts-ignore: decorator
@inline function probCols(p: usize, colB: usize, nLo: i32, nMax: i32, diag: i32, lse: v128): void {
  let u = 0;
  for (; u + 2 <= nLo; u += 2) {
    const o = p + <usize>u * colB;
    const e0 = exp4(f32x4.sub(v128.load(o), lse));
    const e1 = exp4(f32x4.sub(v128.load(o + colB), lse));
    v128.store(o, e0);
    v128.store(o + colB, e1);
  }
  for (; u < nMax; u++) {
    const o = p + <usize>u * colB;
    let e = exp4(f32x4.sub(v128.load(o), lse));
    if (u >= nLo) e = v128.and(e, seen(u, diag));
    v128.store(o, e);
  }
}

export function attentionForward(q: usize, k: usize, v: usize, out: usize, lse: usize, T: i32, NH: i32, NKV: i32, hs: i32,
  qStride: i32, kvStride: i32, oStride: i32, scale: f32, causal: i32, scratch: usize, w0: i32, w1: i32): void {
  const rep = NH / NKV;
  const BQ = blockCols(T, hs);
  if (BQ == 0) unreachable();
  const colB = <usize>BQ << 2;
  const pt = scratch;
  const qT = pt + <usize>((T + 3) & ~3) * colB;
  const inv = qT + <usize>hs * colB;
  const qRow = <usize>qStride << 2, kvRow = <usize>kvStride << 2, oRow = <usize>oStride << 2;
  for (let w = w0; w < w1; w++) {
    const b = w / NKV;
    const g = w % NKV;
    const kb = k + <usize>(b * T * kvStride + g * hs) * 4;
    const vb = v + <usize>(b * T * kvStride + g * hs) * 4;
    for (let j = 0; j < rep; j++) {
      const h = g * rep + j;
      for (let t0 = 0; t0 < T; t0 += BQ) {
        const m = min(BQ, T - t0);
        const nk = causal ? t0 + m : T;
        const qb = q + <usize>((b * T + t0) * qStride + h * hs) * 4;
        const ob = out + <usize>((b * T + t0) * oStride + h * hs) * 4;
        const lrow = lse + <usize>((b * NH + h) * T + t0) * 4;
        packT(qb, qRow, m, hs, scale, qT, colB, BQ);
        keyTiles(kb, kvRow, nk, qT, colB, hs, t0, m, causal, pt, STORE, 0, 0);
        for (let i = 0; i < m; i += 4) {
          // Keys 0..nLo-1 are seen by all four queries i..i+3, nLo..nMax-1 by some.
          const nLo = causal ? t0 + i + 1 : T;
          const nMax = causal ? min(t0 + i + 4, nk) : T;
          const rows = min(4, m - i);
          softmaxCols(pt + (<usize>i << 2), colB, nLo, nMax, t0 + i, lrow + (<usize>i << 2), rows, inv + (<usize>i << 2));
          // out rows i..i+3 = P v / sum.
          headTiles(pt + (<usize>i << 2), 0, 0, 0, true, colB, vb, kvRow, nMax, ob + <usize>i * oRow, oRow, rows, hs, ROW_SCALE, inv + (<usize>i << 2));
        }
      }
    }
  }
}

/**
 * dq, dk, dv accumulate (+=). Same layouts as forward; dq shares q's stride, dk/dv share k/v's.
 * scratch: SCRATCH_FLOATS floats private to the calling thread.
 */
export function attentionBackward(q: usize, k: usize, v: usize, out: usize, lse: usize, dout: usize, dq: usize, dk: usize, dv: usize,
  T: i32, NH: i32, NKV: i32, hs: i32, qStride: i32, kvStride: i32, oStride: i32, scale: f32, causal: i32, scratch: usize, w0: i32, w1: i32): void {
  const rep = NH / NKV;
  const BQ = blockCols(T, hs);
  if (BQ == 0) unreachable();
  const colB = <usize>BQ << 2;
  const pt = scratch;
  const qT = pt + <usize>((T + 3) & ~3) * colB;
  const dT = qT + <usize>hs * colB;
  const D = dT + <usize>hs * colB;
  const L = D + colB;
  const qRow = <usize>qStride << 2, kvRow = <usize>kvStride << 2, oRow = <usize>oStride << 2;
  for (let w = w0; w < w1; w++) {
    const b = w / NKV;
    const g = w % NKV;
    const kvOff = <usize>(b * T * kvStride + g * hs) * 4;
    const kb = k + kvOff, vb = v + kvOff, dkb = dk + kvOff, dvb = dv + kvOff;
    for (let j = 0; j < rep; j++) {
      const h = g * rep + j;
      for (let t0 = 0; t0 < T; t0 += BQ) {
        const m = min(BQ, T - t0);
        const nk = causal ? t0 + m : T;
        const qOff = <usize>((b * T + t0) * qStride + h * hs) * 4;
        const oOff = <usize>((b * T + t0) * oStride + h * hs) * 4;
        const qb = q + qOff, dqb = dq + qOff, ob = out + oOff, dob = dout + oOff;
        const lrow = lse + <usize>((b * NH + h) * T + t0) * 4;
        packT(qb, qRow, m, hs, scale, qT, colB, BQ);
        packT(dob, oRow, m, hs, 1, dT, colB, BQ);
        for (let i = 0; i < BQ; i++) store<f32>(L + (<usize>i << 2), i < m ? load<f32>(lrow + (<usize>i << 2)) : 0);
        // The forward's probabilities, recomputed from the same scores and its log-sum-exp.
        keyTiles(kb, kvRow, nk, qT, colB, hs, t0, m, causal, pt, STORE, 0, 0);
        // D = dout . out per query, the softmax-backward centring term (sum_u p_u dout . v_u), from
        // out^T (in q^T's place) and dout^T: each lane sums in the order a lane of dP^T does, so D and
        // dP agree exactly where they should (a single visible key: out = v).
        packT(ob, oRow, m, hs, 1, qT, colB, BQ);
        for (let i = 0; i < BQ; i += 4) {
          let acc = f32x4.splat(0);
          for (let d = 0; d < hs; d++) {
            const o = <usize>d * colB + (<usize>i << 2);
            acc = fma4(v128.load(qT + o), v128.load(dT + o), acc);
          }
          v128.store(D + (<usize>i << 2), acc);
        }
        for (let i = 0; i < m; i += 4) {
          probCols(pt + (<usize>i << 2), colB, causal ? t0 + i + 1 : T, causal ? min(t0 + i + 4, nk) : T, t0 + i, v128.load(L + (<usize>i << 2)));
        }
        // dv[u] += sum_i P[i][u] dout_i, 4 keys at a time over the queries that see them.
        for (let u = 0; u < nk; u += 4) {
          const i0 = causal ? max(0, u - t0) : 0;
          headTiles(pt + <usize>u * colB + (<usize>i0 << 2), colB, colB * 2, colB * 3, false, 4, dob + <usize>i0 * oRow, oRow, m - i0,
            dvb + <usize>u * kvRow, kvRow, min(4, nk - u), hs, ADD, 0);
        }
        // P^T becomes dS^T = P^T (dP^T - D) scale, dP^T = v dout^T.
        keyTiles(vb, kvRow, nk, dT, colB, hs, t0, m, causal, pt, TO_DS, D, scale);
        for (let i = 0; i < m; i += 4) {
          // dq_i += sum_u dS[i][u] k_u
          headTiles(pt + (<usize>i << 2), 0, 0, 0, true, colB, kb, kvRow, causal ? min(t0 + i + 4, nk) : T,
            dqb + <usize>i * qRow, qRow, min(4, m - i), hs, ADD, 0);
        }
        for (let u = 0; u < nk; u += 4) {
          // dk[u] += sum_i dS[i][u] q_i
          const i0 = causal ? max(0, u - t0) : 0;
          headTiles(pt + <usize>u * colB + (<usize>i0 << 2), colB, colB * 2, colB * 3, false, 4, qb + <usize>i0 * qRow, qRow, m - i0,
            dkb + <usize>u * kvRow, kvRow, min(4, nk - u), hs, ADD, 0);
        }
      }
    }
  }
}
