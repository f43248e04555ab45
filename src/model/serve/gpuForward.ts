import { createStorageBuffer, createUniformBuffer, destroyAll, readBuffer } from '../../gpu/buffers';
import { createCounters, type CounterBuffer } from '../../gpu/counters';
import { bindGroup, encodeSteps, type DispatchStep } from '../../gpu/dispatch';
import { withErrorScopes } from '../../gpu/scopes';
import type { GpuRuntime } from '../../gpu/runtime';
import { LimitError } from '../../gpu/errors';
import { flashWorkgroupBytes } from '../../kernels/attention/memory';
import { softmaxScale, type FlashTile } from '../../kernels/attention/shape';
import { attentionSource } from '../../kernels/attention/source';
import { createEmbeddingForward } from '../../kernels/embedding';
import { createGeluForward } from '../../kernels/gelu';
import { createAddOp, createHeadsOp } from '../../kernels/glue';
import { decodeParamWords } from '../../kernels/kvcache/host';
import { maxContext } from '../../kernels/kvcache/limits';
import { kvSource } from '../../kernels/kvcache/source';
import { createLayerNormForward } from '../../kernels/layernorm';
import { createAddBias, createMatmulOp } from '../../kernels/linear';
import type { GpuOp } from '../../kernels/op';
import { prepareGemv, uploadWeights, type PreparedGemv, type WeightBuffers } from '../../kernels/quant/host';
import { quantize } from '../../kernels/quant/quantize';
import { specialise } from '../../kernels/specialise';
import { view, type ParamTensor } from '../layout';
import type { LinearName } from './cachedForward';
import type { BatchForward } from './engine';
import type { QuantizedModel } from './quantized';

/**
 * The served GPT's forward on the GPU, composed from the playground's kernels, at one weight
 * format. Prefill (a whole sequence from position 0): token + position embedding, then per block
 * LayerNorm, the QKV projection through the decode lab's GEMV/GEMM kernel (src/kernels/quant) at
 * the chosen format, bias, the heads layout, the tiled causal attention (FlashAttention-2 style,
 * src/kernels/attention, as the trainer runs it), the output, MLP-up (bias + GELU) and MLP-down
 * projections through the same quantized kernels, residual adds; final LayerNorm and the tied head
 * (f32 GEMM against wte). Every token's keys and values are copied into per-layer pools laid out
 * [block][slot][head][headDim] through the caller's block table. A decode step runs M rows (one
 * new token each, any sequences) through the same projections as one GEMM of M rows, with
 * attention by the KV-cache lab's paged decode kernel (src/kernels/kvcache) reading the pools
 * through the rows' tables: the new rows' keys and values are written first, and row i sees its
 * sequence's first pos+1 tokens, so several rows of ONE sequence (a speculative verification)
 * are causal too. AWQ's per-channel activation scale x/s runs as a product with diag(1/s) on the
 * trainer's matmul kernel before each int4 GEMV (a real engine folds it into the previous
 * operator; here it costs K² multiply-adds a row, small at these widths). Embeddings, biases and
 * LayerNorms stay f32, as in the CPU model of the same format.
 */

const TILE: FlashTile = { br: 32, bc: 16, rows: 2 };
const LINEARS: LinearName[] = ['wqkv', 'wo', 'wfc', 'wproj'];

/** One row of a decode batch: the token fed, its position, its sequence's block table. */
export interface DecodeRow {
  token: number;
  pos: number;
  table: number[];
}

interface Linear {
  weights: WeightBuffers;
  /** diag(1/s) as a K×K matrix (AWQ only). */
  invScale: GPUBuffer | null;
  bias: GPUBuffer | null;
  N: number;
  K: number;
}

/** Ops and buffers for one row count: compiled on first use and kept (a model has few row counts). */
interface Plan {
  rows: number;
  /** Encodes the forward; `between(l)` runs after block l's QKV projection (outside a compute pass). */
  encode(enc: GPUCommandEncoder, between: (l: number, qkv: GPUBuffer) => void): void;
  /** Embedding inputs: token ids (prefill) or the two gathered rows to add (decode). */
  tokens: GPUBuffer;
  xTok: GPUBuffer;
  xPos: GPUBuffer;
  q: GPUBuffer;
  tables: GPUBuffer;
  lens: GPUBuffer;
  logits: GPUBuffer;
  dispose(): void;
}

export class GpuForward implements BatchForward {
  private readonly plans = new Map<string, Promise<Plan>>();

  private constructor(
    readonly rt: GpuRuntime,
    readonly quantized: QuantizedModel,
    readonly blockSize: number,
    readonly numBlocks: number,
    private readonly params: Map<ParamTensor, GPUBuffer>,
    private readonly linears: Linear[][],
    private readonly head: WeightBuffers,
    readonly pools: { k: GPUBuffer[]; v: GPUBuffer[] },
    private readonly owned: GPUBuffer[],
    private readonly counters: CounterBuffer,
  ) {}

  /** Uploads the model at its format and allocates the KV pools (numBlocks blocks of blockSize tokens per layer). */
  static async create(
    rt: GpuRuntime,
    q: QuantizedModel,
    pool: { blockSize: number; numBlocks: number },
  ): Promise<GpuForward> {
    const { config: c, layout, params } = q.model;
    const D = c.dModel;
    // The attention lab offers d = 32, 64, 128; the tiled kernel itself needs only whole vec4s
    // (d % 4 = 0) and its K/V blocks in workgroup memory, and the served models have d = 16.
    const hd = D / c.heads;
    if (hd % 4 !== 0)
      throw new LimitError(`head dimension ${hd} is not a multiple of 4 (the tiled attention reads vec4s).`);
    if (flashWorkgroupBytes(hd, TILE) > rt.info.limits.maxComputeWorkgroupStorageSize)
      throw new LimitError(`the tiled attention's K/V blocks at d = ${hd} exceed this device's workgroup memory.`);
    const owned: GPUBuffer[] = [];
    const uploads: WeightBuffers[] = [];
    const buf = async (data: Float32Array | number, label: string) => {
      const b = await createStorageBuffer(rt.device, data, label);
      owned.push(b);
      return b;
    };
    try {
      const gpuParams = new Map<ParamTensor, GPUBuffer>();
      // Everything but the four matrices per block stays f32 (they go through the quantized kernels).
      const matrices = new Set(layout.blocks.flatMap((b) => LINEARS.map((n) => b[n])));
      for (const t of layout.tensors)
        if (!matrices.has(t)) gpuParams.set(t, await buf(Float32Array.from(view(params, t)), `serve ${t.name}`));
      const linears: Linear[][] = [];
      for (const [l, bl] of layout.blocks.entries()) {
        const row: Linear[] = [];
        for (const name of LINEARS) {
          const p = q.packed[`${l}.${name}`];
          if (!p) throw new Error(`the ${q.variant} model has no packed weights for block ${l} ${name}.`);
          const wb = await uploadWeights(rt, p.weights);
          uploads.push(wb);
          let invScale: GPUBuffer | null = null;
          if (p.awqScales) {
            const K = p.weights.K;
            const diag = new Float32Array(K * K);
            for (let k = 0; k < K; k++) diag[k * K + k] = 1 / p.awqScales[k];
            invScale = await buf(diag, `awq 1/s ${l}.${name}`);
          }
          const biasT = { wqkv: bl.bqkv, wo: bl.bo, wfc: null, wproj: bl.bproj }[name];
          row.push({
            weights: wb,
            invScale,
            bias: biasT ? (gpuParams.get(biasT) ?? null) : null,
            N: p.weights.N,
            K: p.weights.K,
          });
        }
        linears.push(row);
      }
      // The tied head: logits = h·wteᵀ, and wte is already [V, D] = the kernels' [N, K].
      const head = await uploadWeights(
        rt,
        quantize('f32', Float32Array.from(view(params, layout.wte)), c.vocab, D, 32),
      );
      uploads.push(head);
      const poolFloats = pool.numBlocks * pool.blockSize * D;
      const pools = { k: [] as GPUBuffer[], v: [] as GPUBuffer[] };
      for (let l = 0; l < c.layers; l++) {
        pools.k.push(await buf(poolFloats * 4, `kv pool k${l}`));
        pools.v.push(await buf(poolFloats * 4, `kv pool v${l}`));
      }
      const counters = await createCounters(rt.device, false, 'serve attention counters');
      owned.push(counters.buffer);
      const allOwned = [...owned];
      const fw = new GpuForward(
        rt,
        q,
        pool.blockSize,
        pool.numBlocks,
        gpuParams,
        linears,
        head,
        pools,
        allOwned,
        counters,
      );
      fw.uploads = uploads;
      return fw;
    } catch (e) {
      destroyAll(owned);
      for (const u of uploads) u.dispose();
      throw e;
    }
  }

  private uploads: WeightBuffers[] = [];

  private P(t: ParamTensor): GPUBuffer {
    const b = this.params.get(t);
    if (!b) throw new Error(`no GPU buffer for ${t.name}.`);
    return b;
  }

  /** Offset in floats of a sequence position's slot in a layer pool. */
  private slot(table: number[], pos: number): number {
    const bs = this.blockSize;
    const block = table[Math.floor(pos / bs)];
    if (block === undefined || block >= this.numBlocks)
      throw new RangeError(`position ${pos} has no block in its table (${table.length} blocks).`);
    return (block * bs + (pos % bs)) * this.quantized.model.config.dModel;
  }

  private plan(kind: 'prefill' | 'decode', rows: number): Promise<Plan> {
    const key = `${kind}${rows}`;
    let p = this.plans.get(key);
    if (!p) {
      p = this.buildPlan(kind, rows);
      this.plans.set(key, p);
      p.catch(() => this.plans.delete(key));
    }
    return p;
  }

  private async buildPlan(kind: 'prefill' | 'decode', M: number): Promise<Plan> {
    const rt = this.rt;
    const { device } = rt;
    const c = this.quantized.model.config;
    const layout = this.quantized.model.layout;
    const D = c.dModel;
    const H = c.heads;
    const hd = D / H;
    const V = c.vocab;
    const owned: GPUBuffer[] = [];
    const ops: GpuOp<string>[] = [];
    const gemvs: PreparedGemv[] = [];
    const buf = async (floats: number, label: string) => {
      const b = await createStorageBuffer(device, floats * 4, label);
      owned.push(b);
      return b;
    };
    const op = async <S extends string>(o: Promise<GpuOp<S>>): Promise<GpuOp<S>> => {
      const r = await o;
      ops.push(r as unknown as GpuOp<string>);
      return r;
    };
    try {
      const ln = await op(createLayerNormForward(rt, { rows: M, cols: D }));
      const add = await op(createAddOp(rt, M * D));
      const gelu = await op(createGeluForward(rt, { rows: M, cols: 4 * D }, { bias: true }));
      const biasOps = new Map<number, GpuOp<'y' | 'bias'>>();
      const diagOps = new Map<number, GpuOp<'a' | 'b' | 'c'>>();
      const maxBlocks = Math.ceil(c.context / this.blockSize);
      const tokens = await buf(Math.max(M, 1), 'serve tokens');
      const xTok = await buf(M * D, 'serve wte rows');
      const xPos = await buf(M * D, 'serve wpe rows');
      const q = await buf(M * D, 'serve decode q');
      const tables = await buf(M * maxBlocks, 'serve block tables');
      const lens = await buf(M, 'serve seq lens');
      const mean = await buf(M, 'serve ln mean');
      const rstd = await buf(M, 'serve ln rstd');
      const embed =
        kind === 'prefill' ? await op(createEmbeddingForward(rt, { batch: 1, seq: M, channels: D, vocab: V })) : null;
      // The projection of one linear layer: AWQ's x/s (diag matmul), the GEMV/GEMM, its bias in place.
      const project = async (lin: Linear, x: GPUBuffer, label: string) => {
        let input = x;
        const steps: ((pass: GPUComputePassEncoder) => void)[] = [];
        if (lin.invScale) {
          let d = diagOps.get(lin.K);
          if (!d) {
            d = await op(createMatmulOp(rt, { M, N: lin.K, K: lin.K }));
            diagOps.set(lin.K, d);
          }
          const scaled = await buf(M * lin.K, `${label} x/s`);
          const inv = lin.invScale;
          const dd = d;
          steps.push((pass) => dd.encode(pass, { a: x, b: inv, c: scaled }));
          input = scaled;
        }
        const g = await prepareGemv(rt, lin.weights, M, { x: input });
        gemvs.push(g);
        steps.push((pass) => encodeSteps(pass, g.steps));
        if (lin.bias) {
          let b = biasOps.get(lin.N);
          if (!b) {
            b = await op(createAddBias(rt, { rows: M, cols: lin.N }));
            biasOps.set(lin.N, b);
          }
          const bias = lin.bias;
          const bb = b;
          steps.push((pass) => bb.encode(pass, { y: g.y, bias }));
        }
        return { y: g.y, encode: (pass: GPUComputePassEncoder) => steps.forEach((s) => s(pass)) };
      };

      // Attention per layer: flash over the prompt (prefill) or the paged decode kernel (decode).
      const scaleBits = new Uint32Array(new Float32Array([softmaxScale(hd)]).buffer)[0];
      let attentionFor: (l: number, qkv: GPUBuffer, out: GPUBuffer) => Promise<(pass: GPUComputePassEncoder) => void>;
      if (kind === 'prefill') {
        const flashPipe = await rt.pipelines.compute(specialise(attentionSource('flash', { d: hd, tile: TILE }), {}));
        const heads = (width: number, part: number, to: boolean) =>
          op(createHeadsOp(rt, { batch: 1, seq: M, d: D, heads: H, width, part }, to));
        const toQkv = [await heads(3 * D, 0, true), await heads(3 * D, 1, true), await heads(3 * D, 2, true)];
        const fromD = await heads(D, 0, false);
        const qh = await buf(M * D, 'serve q heads');
        const kh = await buf(M * D, 'serve k heads');
        const vh = await buf(M * D, 'serve v heads');
        const oh = await buf(M * D, 'serve o heads');
        const lse = await buf(M * H, 'serve lse');
        const u = createUniformBuffer(device, [H, M, hd, 1, scaleBits], 'serve flash params');
        owned.push(u);
        const step: DispatchStep = {
          pipeline: flashPipe,
          bindGroups: [bindGroup(device, flashPipe, [u, qh, kh, vh, oh, lse]), this.counters.bind(flashPipe)],
          workgroups: [Math.ceil(M / TILE.br), H],
          label: 'serve flash',
        };
        attentionFor = async (_l, qkv, out) => (pass) => {
          toQkv[0].encode(pass, { src: qkv, dst: qh });
          toQkv[1].encode(pass, { src: qkv, dst: kh });
          toQkv[2].encode(pass, { src: qkv, dst: vh });
          encodeSteps(pass, [step]);
          fromD.encode(pass, { src: oh, dst: out });
        };
      } else {
        const maxCtx = maxContext([c.context]);
        const pipe = await rt.pipelines.compute(
          specialise(kvSource('paged', { headDim: hd, blockSize: this.blockSize, maxCtx }), {}),
        );
        const u = createUniformBuffer(device, decodeParamWords(M, H, maxBlocks, hd), 'serve paged params');
        owned.push(u);
        attentionFor = async (l, _qkv, out) => {
          const step: DispatchStep = {
            pipeline: pipe,
            bindGroups: [
              bindGroup(device, pipe, [u, q, this.pools.k[l], this.pools.v[l], tables, lens, out]),
              this.counters.bind(pipe),
            ],
            workgroups: [M, H],
            label: `serve paged attention ${l}`,
          };
          return (pass) => encodeSteps(pass, [step]);
        };
      }

      // Per block: [pre] LN1 + QKV ... then (after the caller's copies) [post] attention + the rest.
      const x0 = await buf(M * D, 'serve x0');
      const blocks: {
        pre: (pass: GPUComputePassEncoder) => void;
        qkv: GPUBuffer;
        post: (pass: GPUComputePassEncoder) => void;
      }[] = [];
      let x = x0;
      for (const [l, bl] of layout.blocks.entries()) {
        const [lq, lo, lf, lp] = this.linears[l];
        const ln1y = await buf(M * D, `h${l} ln1`);
        const att = await buf(M * D, `h${l} att`);
        const x2 = await buf(M * D, `h${l} x2`);
        const ln2y = await buf(M * D, `h${l} ln2`);
        const act = await buf(M * 4 * D, `h${l} act`);
        const out = await buf(M * D, `h${l} out`);
        const qkv = await project(lq, ln1y, `h${l} qkv`);
        const attend = await attentionFor(l, qkv.y, att);
        const o = await project(lo, att, `h${l} wo`);
        const fc = await project(lf, ln2y, `h${l} fc`);
        const pr = await project(lp, act, `h${l} proj`);
        const xin = x;
        const [g1, b1, g2, b2] = [this.P(bl.ln1g), this.P(bl.ln1b), this.P(bl.ln2g), this.P(bl.ln2b)];
        const bfc = this.P(bl.bfc);
        blocks.push({
          qkv: qkv.y,
          pre: (pass) => {
            ln.encode(pass, { x: xin, gamma: g1, beta: b1, y: ln1y, mean, rstd });
            qkv.encode(pass);
          },
          post: (pass) => {
            attend(pass);
            o.encode(pass);
            add.encode(pass, { a: xin, b: o.y, out: x2 });
            ln.encode(pass, { x: x2, gamma: g2, beta: b2, y: ln2y, mean, rstd });
            fc.encode(pass);
            gelu.encode(pass, { z: fc.y, bias: bfc, y: act });
            pr.encode(pass);
            add.encode(pass, { a: x2, b: pr.y, out });
          },
        });
        x = out;
      }
      const lnf = await buf(M * D, 'serve lnf');
      const headG = await prepareGemv(rt, this.head, M, { x: lnf });
      gemvs.push(headG);
      const xLast = x;
      const [gf, bf] = [this.P(layout.lnfg), this.P(layout.lnfb)];
      const [wte, wpe] = [this.P(layout.wte), this.P(layout.wpe)];
      return {
        rows: M,
        tokens,
        xTok,
        xPos,
        q,
        tables,
        lens,
        logits: headG.y,
        encode: (enc, between) => {
          let pass = enc.beginComputePass({ label: `serve ${kind} embed` });
          if (embed) embed.encode(pass, { tokens, wte, wpe, out: x0 });
          else add.encode(pass, { a: xTok, b: xPos, out: x0 });
          blocks.forEach((b, l) => {
            b.pre(pass);
            pass.end();
            between(l, b.qkv);
            pass = enc.beginComputePass({ label: `serve ${kind} block ${l}` });
            b.post(pass);
          });
          ln.encode(pass, { x: xLast, gamma: gf, beta: bf, y: lnf, mean, rstd });
          encodeSteps(pass, headG.steps);
          pass.end();
        },
        dispose: () => {
          destroyAll(owned);
          for (const o of ops) o.dispose();
          for (const g of gemvs) g.dispose();
        },
      };
    } catch (e) {
      destroyAll(owned);
      for (const o of ops) o.dispose();
      for (const g of gemvs) g.dispose();
      throw e;
    }
  }

  private async readRows(buf: GPUBuffer, firstRow: number, rows: number): Promise<Float64Array> {
    const V = this.quantized.model.config.vocab;
    const bytes = await readBuffer(this.rt.device, buf, rows * V * 4, firstRow * V * 4);
    return Float64Array.from(new Float32Array(bytes));
  }

  /** Prefill of a whole sequence from position 0; returns every row's logits [n, V]. */
  async prefillAll(tokens: number[], table: number[]): Promise<Float64Array> {
    const c = this.quantized.model.config;
    const n = tokens.length;
    if (n < 1) throw new RangeError('a prefill needs at least one token.');
    if (n > c.context) throw new RangeError(`${n} tokens exceed the model's context of ${c.context}.`);
    for (const t of tokens)
      if (!Number.isInteger(t) || t < 0 || t >= c.vocab)
        throw new RangeError(`token id ${t} is outside 0–${c.vocab - 1}.`);
    const slots = tokens.map((_, pos) => this.slot(table, pos));
    const plan = await this.plan('prefill', n);
    const { device } = this.rt;
    const D = c.dModel;
    device.queue.writeBuffer(plan.tokens, 0, Uint32Array.from(tokens));
    // In error scopes: a validation error throws here instead of leaving zeros to read.
    await withErrorScopes(device, 'the GPU prefill', () => {
      const enc = device.createCommandEncoder({ label: 'serve prefill' });
      plan.encode(enc, (l, qkv) => {
        // Keys and values of every prompt token into the pools (rows of [q | k | v]).
        slots.forEach((o, i) => {
          enc.copyBufferToBuffer(qkv, (i * 3 * D + D) * 4, this.pools.k[l], o * 4, D * 4);
          enc.copyBufferToBuffer(qkv, (i * 3 * D + 2 * D) * 4, this.pools.v[l], o * 4, D * 4);
        });
      });
      device.queue.submit([enc.finish()]);
    });
    return this.readRows(plan.logits, 0, n);
  }

  async prefill(tokens: number[], table: number[]): Promise<Float64Array> {
    const all = await this.prefillAll(tokens, table);
    const V = this.quantized.model.config.vocab;
    return all.slice((tokens.length - 1) * V);
  }

  /** One new token per row; every row's logits [rows, V]. */
  async decode(rows: DecodeRow[]): Promise<Float64Array> {
    const c = this.quantized.model.config;
    const M = rows.length;
    if (M < 1) throw new RangeError('a decode step needs at least one row.');
    const D = c.dModel;
    const maxBlocks = Math.ceil(c.context / this.blockSize);
    const tables = new Uint32Array(M * maxBlocks);
    const lens = new Uint32Array(M);
    const slots: number[] = [];
    rows.forEach((r, i) => {
      if (!Number.isInteger(r.token) || r.token < 0 || r.token >= c.vocab)
        throw new RangeError(`token id ${r.token} is outside 0–${c.vocab - 1}.`);
      if (!Number.isInteger(r.pos) || r.pos < 0 || r.pos >= c.context)
        throw new RangeError(`position ${r.pos} is outside the model's context of ${c.context}.`);
      if (r.table.length > maxBlocks)
        throw new RangeError(`a block table of ${r.table.length} blocks exceeds ${maxBlocks}.`);
      slots.push(this.slot(r.table, r.pos));
      tables.set(r.table, i * maxBlocks);
      lens[i] = r.pos + 1;
    });
    const plan = await this.plan('decode', M);
    const { device } = this.rt;
    const { wte, wpe } = this.quantized.model.layout;
    const wteBuf = this.P(wte);
    const wpeBuf = this.P(wpe);
    device.queue.writeBuffer(plan.tables, 0, tables);
    device.queue.writeBuffer(plan.lens, 0, lens);
    await withErrorScopes(device, 'the GPU decode step', () => {
      const enc = device.createCommandEncoder({ label: 'serve decode' });
      // Embedding rows gathered by copies (each row has its own position), added in the first pass.
      rows.forEach((r, i) => {
        enc.copyBufferToBuffer(wteBuf, r.token * D * 4, plan.xTok, i * D * 4, D * 4);
        enc.copyBufferToBuffer(wpeBuf, r.pos * D * 4, plan.xPos, i * D * 4, D * 4);
      });
      plan.encode(enc, (l, qkv) => {
        // The rows' queries side by side for the kernel, their keys and values into the pools.
        slots.forEach((o, i) => {
          enc.copyBufferToBuffer(qkv, i * 3 * D * 4, plan.q, i * D * 4, D * 4);
          enc.copyBufferToBuffer(qkv, (i * 3 * D + D) * 4, this.pools.k[l], o * 4, D * 4);
          enc.copyBufferToBuffer(qkv, (i * 3 * D + 2 * D) * 4, this.pools.v[l], o * 4, D * 4);
        });
      });
      device.queue.submit([enc.finish()]);
    });
    return this.readRows(plan.logits, 0, M);
  }

  async dispose(): Promise<void> {
    for (const p of this.plans.values()) {
      try {
        (await p).dispose();
      } catch {
        // A plan that failed to build owns nothing.
      }
    }
    this.plans.clear();
    for (const u of this.uploads) u.dispose();
    destroyAll(this.owned);
  }
}

/**
 * One sequence on a GpuForward with the whole pool as its own (blocks 0, 1, … in order): what
 * speculative decoding runs on, since it drops rejected tokens (truncate: the next forward
 * overwrites their slots). The first forward is a prefill; later ones are decode rows of this one
 * sequence at consecutive positions.
 */
export class GpuSequence {
  len = 0;
  private readonly table: number[];

  constructor(readonly forward: GpuForward) {
    const c = forward.quantized.model.config;
    const need = Math.ceil(c.context / forward.blockSize);
    if (forward.numBlocks < need)
      throw new RangeError(
        `a sequence of ${c.context} tokens needs ${need} blocks; the pool has ${forward.numBlocks}.`,
      );
    this.table = Array.from({ length: need }, (_, i) => i);
  }

  /** Runs the tokens after the cached ones, caches them, and returns their logits [n, V]. */
  async run(tokens: number[]): Promise<Float64Array> {
    const out =
      this.len === 0
        ? await this.forward.prefillAll(tokens, this.table)
        : await this.forward.decode(tokens.map((token, i) => ({ token, pos: this.len + i, table: this.table })));
    this.len += tokens.length;
    return out;
  }

  truncate(len: number): void {
    if (len < 0 || len > this.len) throw new RangeError(`cannot truncate a sequence of ${this.len} tokens to ${len}.`);
    this.len = len;
  }
}
