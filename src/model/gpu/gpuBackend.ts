import { createStorageBuffer, createUniformBuffer, destroyAll, readBuffer } from '../../gpu/buffers';
import { createCounters, type CounterBuffer } from '../../gpu/counters';
import { bindGroup, type DispatchStep } from '../../gpu/dispatch';
import type { GpuRuntime } from '../../gpu/runtime';
import { createAdamW, type AdamWOp, type AdamWSegment } from '../../kernels/adamw';
import { nextScale } from '../../kernels/precision/lossScale';
import { createCastOp, createDecodeF16Op, type CastOp } from '../../kernels/precision/ops';
import { flashCost } from '../../kernels/attention/cost';
import { checkFlashTile } from '../../kernels/attention/memory';
import { addCosts } from '../../kernels/costsum';
import type { KernelCost } from '../../kernels/types';
import { softmaxScale, type FlashTile } from '../../kernels/attention/shape';
import { attentionSource } from '../../kernels/attention/source';
import { createAttentionBackward } from '../../kernels/attentionbackward';
import { createCrossEntropyBackward, createCrossEntropyForward } from '../../kernels/crossentropy';
import { createEmbeddingBackward, createEmbeddingForward } from '../../kernels/embedding';
import { createGeluBackward, createGeluForward } from '../../kernels/gelu';
import { createAddOp, createHeadsOp } from '../../kernels/glue';
import { createLayerNormBackward, createLayerNormForward } from '../../kernels/layernorm';
import { createAddBias, createLinearBackward, createMatmulOp } from '../../kernels/linear';
import type { GpuOp } from '../../kernels/op';
import { specialise } from '../../kernels/specialise';
import { argmaxRows } from '../accuracy';
import { paramLayout, type ParamLayout, type ParamTensor } from '../layout';
import type { Batch } from '../task';
import { PAD } from '../tokenizer';
import type { EvalResult, OptimizerState, ScalerState, StepCost, StepResult, TrainBackend } from '../train/backend';
import type { TrainSpec } from '../train/hyper';

/**
 * The training step on the GPU, composed from the playground's kernels: the register-blocked
 * matmul (forward and the transposed backward products), FlashAttention-2-style tiled attention
 * (forward, and its recomputing backward), LayerNorm, bias+GELU, embeddings, softmax
 * cross-entropy and AdamW with global-norm clipping, plus the glue (heads layout, residual add).
 * Tensors stay on the GPU; a step is one command encoder and one submission: a compute pass for
 * forward and backward, copies of the gradients into the flat buffer AdamW updates, its pass,
 * copies of the new weights back, and a 16-byte copy of the loss and gradient norm to read.
 *
 * Why two copies of the weights: every kernel binds whole buffers, so each tensor has its own
 * buffer for the layers, while the optimizer wants one flat buffer (one norm, one update).
 */

/** Flash tile: 32 query rows (2 per invocation), keys 16 at a time: fits every adapter's limits. */
const TILE: FlashTile = { br: 32, bc: 16, rows: 2 };
const U32_IGNORE = 0xffffffff;

/** The kinds of the per-step time split (the lab's stacked bar). */
export type KernelKind = 'matmul' | 'attention' | 'norms' | 'elementwise';

/** Something encodable into the step's pass (a bound op or raw dispatch steps), with its kind and its cost model's count. */
type Encodable = ((pass: GPUComputePassEncoder) => void) & { kind: KernelKind; cost: KernelCost };

/** Kind from an op's label: matmuls (forward and backward products), attention and its head layout, LayerNorm, the rest. */
function kindOf(label: string): KernelKind {
  if (label.startsWith('linear/matmul') || label.startsWith('linear/backward')) return 'matmul';
  if (label.startsWith('attention') || label.startsWith('glue/to-heads') || label.startsWith('glue/from-heads'))
    return 'attention';
  if (label.startsWith('layernorm')) return 'norms';
  return 'elementwise';
}

function bound(op: GpuOp<string>, buffers: Record<string, GPUBuffer>): Encodable {
  const b = op.bind(buffers);
  return Object.assign((pass: GPUComputePassEncoder) => b.encode(pass), { kind: kindOf(op.label), cost: op.cost });
}

/** Profile one step in this many with timestamp queries (a pass per run of same-kind kernels costs a little). */
const PROFILE_EVERY = 10;

/** AdamW segments: runs of consecutive tensors with the same decay flag. */
export function decaySegments(layout: ParamLayout): AdamWSegment[] {
  const out: AdamWSegment[] = [];
  for (const t of layout.tensors) {
    const last = out.at(-1);
    if (last && last.decay === t.decay && last.offset + last.length === t.offset) last.length += t.size;
    else out.push({ offset: t.offset, length: t.size, decay: t.decay });
  }
  return out;
}

/** Mixed precision's ops and buffers: the cast to fp16 (with its counts) and the way back. */
interface Mixed {
  cast: CastOp;
  decode: GpuOp<'words' | 'out'>;
  words: GPUBuffer;
  stats: GPUBuffer;
}

/** Readback layout: loss stats (2 floats), optimizer stats (3 floats), the cast's 7 counts. */
const READBACK_BYTES = 48;

interface Buffers {
  tokens: GPUBuffer;
  targets: GPUBuffer;
  logits: GPUBuffer;
  ceStats: GPUBuffer;
  optStats: GPUBuffer;
  readback: GPUBuffer;
  flat: { params: GPUBuffer; grads: GPUBuffer; m: GPUBuffer; v: GPUBuffer };
  param: Map<ParamTensor, GPUBuffer>;
  grad: Map<ParamTensor, GPUBuffer>;
}

export class GpuBackend implements TrainBackend {
  readonly name = 'gpu-webgpu';

  private constructor(
    private readonly rt: GpuRuntime,
    private readonly spec: TrainSpec,
    private readonly layout: ParamLayout,
    private readonly owned: GPUBuffer[],
    private readonly ops: GpuOp<string>[],
    private readonly counters: CounterBuffer[],
    private readonly forward: Encodable[],
    private readonly backward: Encodable[],
    private readonly adamw: AdamWOp,
    private readonly io: Buffers,
    private readonly queries: { set: GPUQuerySet; resolve: GPUBuffer; read: GPUBuffer } | null,
    private readonly mixed: Mixed | null,
  ) {
    if (spec.mixed) this.scaler = { scale: spec.mixed.initScale, clean: 0 };
  }

  /** Mixed precision's loss scaler (undefined in float32); a checkpoint stores it. */
  scaler?: ScalerState;

  /** Compiles every kernel for the spec's shapes and uploads the weights; throws LimitError/RangeError naming what does not fit. */
  static async create(rt: GpuRuntime, spec: TrainSpec, params: Float32Array): Promise<GpuBackend> {
    const c = spec.model;
    const { device } = rt;
    const D = c.dModel;
    const T = c.context;
    const H = c.heads;
    const V = c.vocab;
    const B = c.batch;
    const R = B * T;
    const hd = D / H;
    checkFlashTile(hd, TILE, rt.info.limits);
    const layout = paramLayout(c);
    const owned: GPUBuffer[] = [];
    const ops: GpuOp<string>[] = [];
    const counters: CounterBuffer[] = [];
    const buf = async (floats: number, label: string) => {
      const b = await createStorageBuffer(device, floats * 4, label);
      owned.push(b);
      return b;
    };
    const op = async <S extends string>(p: Promise<GpuOp<S>>): Promise<GpuOp<S>> => {
      const o = await p;
      ops.push(o as unknown as GpuOp<string>);
      return o;
    };
    try {
      const param = new Map<ParamTensor, GPUBuffer>();
      const grad = new Map<ParamTensor, GPUBuffer>();
      for (const t of layout.tensors) {
        param.set(t, await buf(t.size, `param ${t.name}`));
        grad.set(t, await buf(t.size, `grad ${t.name}`));
      }
      const P = (t: ParamTensor) => param.get(t)!;
      const G = (t: ParamTensor) => grad.get(t)!;
      const n = layout.total;
      const flat = {
        params: await buf(n, 'flat params'),
        grads: await buf(n, 'flat grads'),
        m: await buf(n, 'adam m'),
        v: await buf(n, 'adam v'),
      };
      const io: Buffers = {
        tokens: await buf(R, 'tokens'),
        targets: await buf(R, 'targets'),
        logits: await buf(R * V, 'logits'),
        ceStats: await buf(2, 'loss stats'),
        // [norm, clip factor, skipped]: AdamW writes a skip flag when the norm is not finite (loss scaling).
        optStats: await buf(3, 'optimizer stats'),
        readback: device.createBuffer({
          label: 'step readback',
          size: READBACK_BYTES,
          usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
        }),
        flat,
        param,
        grad,
      };
      owned.push(io.readback);

      // Ops compiled once for their shapes, shared by every layer.
      const lnFwd = await op(createLayerNormForward(rt, { rows: R, cols: D }));
      const lnBwd = await op(createLayerNormBackward(rt, { rows: R, cols: D }));
      const mmQkv = await op(createMatmulOp(rt, { M: R, N: 3 * D, K: D }));
      const mmO = await op(createMatmulOp(rt, { M: R, N: D, K: D }));
      const mmFc = await op(createMatmulOp(rt, { M: R, N: 4 * D, K: D }));
      const mmProj = await op(createMatmulOp(rt, { M: R, N: D, K: 4 * D }));
      const biasQkv = await op(createAddBias(rt, { rows: R, cols: 3 * D }));
      const biasD = await op(createAddBias(rt, { rows: R, cols: D }));
      const geluF = await op(createGeluForward(rt, { rows: R, cols: 4 * D }, { bias: true }));
      const geluB = await op(createGeluBackward(rt, { rows: R, cols: 4 * D }, { bias: true }));
      const add = await op(createAddOp(rt, R * D));
      const heads = (width: number, part: number, to: boolean) =>
        op(createHeadsOp(rt, { batch: B, seq: T, d: D, heads: H, width, part }, to));
      const toQkv = [await heads(3 * D, 0, true), await heads(3 * D, 1, true), await heads(3 * D, 2, true)];
      const fromQkv = [await heads(3 * D, 0, false), await heads(3 * D, 1, false), await heads(3 * D, 2, false)];
      const toD = await heads(D, 0, true);
      const fromD = await heads(D, 0, false);
      const bwdProj = await op(createLinearBackward(rt, { M: R, K: 4 * D, N: D }, { bias: true }));
      const bwdFc = await op(createLinearBackward(rt, { M: R, K: D, N: 4 * D }, { bias: true }));
      const bwdO = await op(createLinearBackward(rt, { M: R, K: D, N: D }, { bias: true }));
      const bwdQkv = await op(createLinearBackward(rt, { M: R, K: D, N: 3 * D }, { bias: true }));
      const attBwd = await op(createAttentionBackward(rt, { bh: B * H, n: T, d: hd, causal: true }));
      const emb = { batch: B, seq: T, channels: D, vocab: V };
      const embF = await op(createEmbeddingForward(rt, emb));
      const embB = await op(createEmbeddingBackward(rt, emb, { accumulate: true }));
      const ceF = await op(createCrossEntropyForward(rt, { rows: R, vocab: V }));
      const ceB = await op(createCrossEntropyBackward(rt, { rows: R, vocab: V }));
      const head = await op(createMatmulOp(rt, { M: R, N: V, K: D, transposeB: true }));
      const headDx = await op(createMatmulOp(rt, { M: R, N: D, K: V }));
      const headDw = await op(createMatmulOp(rt, { M: V, N: D, K: R, transposeA: true }));
      const flashPipe = await rt.pipelines.compute(specialise(attentionSource('flash', { d: hd, tile: TILE }), {}));
      const flashCounters = await createCounters(device, false, 'flash counters');
      counters.push(flashCounters);
      const adamw = await createAdamW(rt, n, { segments: decaySegments(layout) });
      ops.push(adamw as unknown as GpuOp<string>);
      let mixed: Mixed | null = null;
      if (spec.mixed) {
        const cast = await createCastOp(rt, n);
        ops.push(cast as unknown as GpuOp<string>);
        const decode = await op(createDecodeF16Op(rt, n));
        mixed = { cast, decode, words: await buf(n, 'fp16 gradient words'), stats: await buf(8, 'cast counts') };
        cast.setScale(spec.mixed.initScale);
      }

      // Backward scratch, shared by the layers (walked in reverse, one at a time).
      const dx = await buf(R * D, 'dx');
      const dx2 = await buf(R * D, 'dx2');
      const tmp = await buf(R * D, 'dtmp');
      const dln = await buf(R * D, 'dln');
      const datt = await buf(R * D, 'datt');
      const dO = await buf(R * D, 'dO heads');
      const dq = await buf(R * D, 'dq');
      const dk = await buf(R * D, 'dk');
      const dv = await buf(R * D, 'dv');
      const dqkv = await buf(R * 3 * D, 'dqkv');
      const dact = await buf(R * 4 * D, 'dact');
      const dz = await buf(R * 4 * D, 'dz');
      const dh = await buf(R * D, 'dh');
      const dlogits = await buf(R * V, 'dlogits');
      const losses = await buf(R, 'losses');
      const ceLse = await buf(R, 'loss lse');

      const forward: Encodable[] = [];
      const backward: Encodable[] = [];
      let x = await buf(R * D, 'x0');
      forward.push(bound(embF, { tokens: io.tokens, wte: P(layout.wte), wpe: P(layout.wpe), out: x }));
      const saved: { x: GPUBuffer; s: Record<string, GPUBuffer> }[] = [];
      for (const [l, bl] of layout.blocks.entries()) {
        const s: Record<string, GPUBuffer> = {};
        for (const [name, floats] of [
          ['ln1y', R * D],
          ['ln1m', R],
          ['ln1r', R],
          ['qkv', R * 3 * D],
          ['q', R * D],
          ['k', R * D],
          ['v', R * D],
          ['o', R * D],
          ['lse', R],
          ['att', R * D],
          ['proj', R * D],
          ['x2', R * D],
          ['ln2y', R * D],
          ['ln2m', R],
          ['ln2r', R],
          ['z', R * 4 * D],
          ['act', R * 4 * D],
          ['mlp', R * D],
          ['out', R * D],
        ] as const)
          s[name] = await buf(floats, `h${l} ${name}`);
        const scaleBits = new Uint32Array(new Float32Array([softmaxScale(hd)]).buffer)[0];
        const u = createUniformBuffer(device, [B * H, T, hd, 1, scaleBits], `h${l} attention params`);
        owned.push(u);
        const flashStep: DispatchStep = {
          pipeline: flashPipe,
          bindGroups: [bindGroup(device, flashPipe, [u, s.q, s.k, s.v, s.o, s.lse]), flashCounters.bind(flashPipe)],
          workgroups: [Math.ceil(T / TILE.br), B * H],
          label: `h${l} flash`,
        };
        forward.push(
          bound(lnFwd, { x, gamma: P(bl.ln1g), beta: P(bl.ln1b), y: s.ln1y, mean: s.ln1m, rstd: s.ln1r }),
          bound(mmQkv, { a: s.ln1y, b: P(bl.wqkv), c: s.qkv }),
          bound(biasQkv, { y: s.qkv, bias: P(bl.bqkv) }),
          bound(toQkv[0], { src: s.qkv, dst: s.q }),
          bound(toQkv[1], { src: s.qkv, dst: s.k }),
          bound(toQkv[2], { src: s.qkv, dst: s.v }),
          Object.assign(
            (pass: GPUComputePassEncoder) => {
              pass.setPipeline(flashStep.pipeline);
              flashStep.bindGroups.forEach((g, i) => pass.setBindGroup(i, g));
              pass.dispatchWorkgroups(...(flashStep.workgroups as [number, number]));
            },
            { kind: 'attention' as const, cost: flashCost({ bh: B * H, n: T, d: hd, causal: true }, TILE) },
          ),
          bound(fromD, { src: s.o, dst: s.att }),
          bound(mmO, { a: s.att, b: P(bl.wo), c: s.proj }),
          bound(biasD, { y: s.proj, bias: P(bl.bo) }),
          bound(add, { a: x, b: s.proj, out: s.x2 }),
          bound(lnFwd, { x: s.x2, gamma: P(bl.ln2g), beta: P(bl.ln2b), y: s.ln2y, mean: s.ln2m, rstd: s.ln2r }),
          bound(mmFc, { a: s.ln2y, b: P(bl.wfc), c: s.z }),
          bound(geluF, { z: s.z, bias: P(bl.bfc), y: s.act }),
          bound(mmProj, { a: s.act, b: P(bl.wproj), c: s.mlp }),
          bound(biasD, { y: s.mlp, bias: P(bl.bproj) }),
          bound(add, { a: s.x2, b: s.mlp, out: s.out }),
        );
        saved.push({ x, s });
        x = s.out;
      }
      const lnf = { y: await buf(R * D, 'lnf y'), mean: await buf(R, 'lnf mean'), rstd: await buf(R, 'lnf rstd') };
      forward.push(
        bound(lnFwd, { x, gamma: P(layout.lnfg), beta: P(layout.lnfb), ...lnf }),
        bound(head, { a: lnf.y, b: P(layout.wte), c: io.logits }),
        bound(ceF, { logits: io.logits, targets: io.targets, losses, lse: ceLse, stats: io.ceStats }),
      );

      backward.push(
        bound(ceB, { logits: io.logits, targets: io.targets, lse: ceLse, stats: io.ceStats, dlogits }),
        bound(headDx, { a: dlogits, b: P(layout.wte), c: dh }),
        bound(headDw, { a: dlogits, b: lnf.y, c: G(layout.wte) }),
        bound(lnBwd, {
          dy: dh,
          x,
          gamma: P(layout.lnfg),
          mean: lnf.mean,
          rstd: lnf.rstd,
          dx,
          dgamma: G(layout.lnfg),
          dbeta: G(layout.lnfb),
        }),
      );
      for (let l = layout.blocks.length - 1; l >= 0; l--) {
        const bl = layout.blocks[l];
        const { x: xin, s } = saved[l];
        // dx holds ∂L/∂(block output); x3 = x2 + MLP(LN2(x2)), x2 = x + Attn(LN1(x)).
        backward.push(
          bound(bwdProj, { dy: dx, x: s.act, w: P(bl.wproj), dx: dact, dw: G(bl.wproj), db: G(bl.bproj) }),
          bound(geluB, { z: s.z, bias: P(bl.bfc), dy: dact, dz }),
          bound(bwdFc, { dy: dz, x: s.ln2y, w: P(bl.wfc), dx: dln, dw: G(bl.wfc), db: G(bl.bfc) }),
          bound(lnBwd, {
            dy: dln,
            x: s.x2,
            gamma: P(bl.ln2g),
            mean: s.ln2m,
            rstd: s.ln2r,
            dx: tmp,
            dgamma: G(bl.ln2g),
            dbeta: G(bl.ln2b),
          }),
          bound(add, { a: tmp, b: dx, out: dx2 }),
          bound(bwdO, { dy: dx2, x: s.att, w: P(bl.wo), dx: datt, dw: G(bl.wo), db: G(bl.bo) }),
          bound(toD, { src: datt, dst: dO }),
          bound(attBwd, { q: s.q, k: s.k, v: s.v, o: s.o, lse: s.lse, dout: dO, dq, dk, dv }),
          bound(fromQkv[0], { src: dq, dst: dqkv }),
          bound(fromQkv[1], { src: dk, dst: dqkv }),
          bound(fromQkv[2], { src: dv, dst: dqkv }),
          bound(bwdQkv, { dy: dqkv, x: s.ln1y, w: P(bl.wqkv), dx: dln, dw: G(bl.wqkv), db: G(bl.bqkv) }),
          bound(lnBwd, {
            dy: dln,
            x: xin,
            gamma: P(bl.ln1g),
            mean: s.ln1m,
            rstd: s.ln1r,
            dx: tmp,
            dgamma: G(bl.ln1g),
            dbeta: G(bl.ln1b),
          }),
          bound(add, { a: tmp, b: dx2, out: dx }),
        );
      }
      // The tied head's dwte is already in G(wte); the embedding's scatter-add accumulates onto it.
      backward.push(bound(embB, { tokens: io.tokens, dout: dx, dwte: G(layout.wte), dwpe: G(layout.wpe) }));

      // Timestamps where the device has them: two per run of same-kind kernels plus the optimizer's.
      let queries: { set: GPUQuerySet; resolve: GPUBuffer; read: GPUBuffer } | null = null;
      if (device.features.has('timestamp-query')) {
        const all = [...forward, ...backward];
        const passes = 1 + all.filter((e, i) => i === 0 || all[i - 1].kind !== e.kind).length;
        const set = device.createQuerySet({ type: 'timestamp', count: 2 * passes, label: 'train step timestamps' });
        const resolve = device.createBuffer({
          size: 16 * passes,
          usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC,
          label: 'timestamps resolve',
        });
        const read = device.createBuffer({
          size: 16 * passes,
          usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
          label: 'timestamps read',
        });
        owned.push(resolve, read);
        queries = { set, resolve, read };
      }
      const backend = new GpuBackend(
        rt,
        spec,
        layout,
        owned,
        ops,
        counters,
        forward,
        backward,
        adamw,
        io,
        queries,
        mixed,
      );
      await backend.writeState({ params, m: new Float32Array(n), v: new Float32Array(n) });
      return backend;
    } catch (e) {
      for (const o of ops) o.dispose();
      for (const k of counters) k.buffer.destroy();
      destroyAll(owned);
      throw e;
    }
  }

  /** Uploads a batch padded to B rows (padding rows: PAD tokens, no scored targets). */
  private upload(batch: Batch): void {
    const c = this.spec.model;
    const R = c.batch * c.context;
    if (batch.rows > c.batch || batch.context !== c.context)
      throw new Error(`A batch of ${batch.rows}×${batch.context} does not fit the compiled ${c.batch}×${c.context}.`);
    const tokens = new Uint32Array(R).fill(PAD);
    tokens.set(batch.inputs);
    const targets = new Uint32Array(R).fill(U32_IGNORE);
    batch.targets.forEach((t, i) => (targets[i] = t < 0 ? U32_IGNORE : t));
    this.rt.device.queue.writeBuffer(this.io.tokens, 0, tokens);
    this.rt.device.queue.writeBuffer(this.io.targets, 0, targets);
  }

  private async readback(): Promise<Float32Array> {
    await this.io.readback.mapAsync(GPUMapMode.READ);
    const out = new Float32Array(this.io.readback.getMappedRange().slice(0));
    this.io.readback.unmap();
    return out;
  }

  async step(batch: Batch, lr: number, t: number): Promise<StepResult> {
    const { device } = this.rt;
    const s = this.spec;
    this.upload(batch);
    this.adamw.setHyper({
      lr,
      beta1: s.beta1,
      beta2: s.beta2,
      eps: s.eps,
      weightDecay: s.weightDecay,
      step: t,
      maxNorm: s.clip,
      gradScale: this.scaler ? 1 / this.scaler.scale : 1,
    });
    const mixed = this.mixed;
    if (mixed && this.scaler) {
      mixed.cast.setScale(this.scaler.scale);
      device.queue.writeBuffer(mixed.stats, 0, new Uint32Array(8));
    }
    const enc = device.createCommandEncoder({ label: 'train step' });
    const profile = this.queries && t % PROFILE_EVERY === 1 ? this.queries : null;
    // Profiled steps: one pass per run of same-kind kernels, each with begin/end timestamps.
    const runs: KernelKind[] = [];
    if (profile) {
      const all = [...this.forward, ...this.backward];
      for (let i = 0; i < all.length;) {
        let j = i;
        while (j < all.length && all[j].kind === all[i].kind) j++;
        const q = runs.length;
        const p = enc.beginComputePass({
          label: `profile ${all[i].kind}`,
          timestampWrites: { querySet: profile.set, beginningOfPassWriteIndex: 2 * q, endOfPassWriteIndex: 2 * q + 1 },
        });
        for (let k = i; k < j; k++) all[k](p);
        p.end();
        runs.push(all[i].kind);
        i = j;
      }
    } else {
      const pass = enc.beginComputePass({ label: 'forward + backward' });
      for (const e of this.forward) e(pass);
      for (const e of this.backward) e(pass);
      pass.end();
    }
    for (const tensor of this.layout.tensors)
      enc.copyBufferToBuffer(this.io.grad.get(tensor)!, 0, this.io.flat.grads, tensor.offset * 4, tensor.size * 4);
    if (mixed) {
      // Gradients stored in fp16: scaled by S and rounded (the cast), then read back exactly (the
      // decode), still scaled; AdamW unscales them, or skips the step if one overflowed to ∞.
      const p = enc.beginComputePass({ label: 'fp16 gradients' });
      mixed.cast.encode(p, { x: this.io.flat.grads, out: mixed.words, stats: mixed.stats });
      mixed.decode.encode(p, { words: mixed.words, out: this.io.flat.grads });
      p.end();
    }
    const optIndex = runs.length;
    const opt = enc.beginComputePass({
      label: 'adamw',
      timestampWrites: profile
        ? { querySet: profile.set, beginningOfPassWriteIndex: 2 * optIndex, endOfPassWriteIndex: 2 * optIndex + 1 }
        : undefined,
    });
    this.adamw.encode(opt, {
      params: this.io.flat.params,
      grads: this.io.flat.grads,
      m: this.io.flat.m,
      v: this.io.flat.v,
      stats: this.io.optStats,
    });
    opt.end();
    for (const tensor of this.layout.tensors)
      enc.copyBufferToBuffer(this.io.flat.params, tensor.offset * 4, this.io.param.get(tensor)!, 0, tensor.size * 4);
    enc.copyBufferToBuffer(this.io.ceStats, 0, this.io.readback, 0, 8);
    enc.copyBufferToBuffer(this.io.optStats, 0, this.io.readback, 8, 12);
    if (mixed) enc.copyBufferToBuffer(mixed.stats, 0, this.io.readback, 20, 28);
    if (profile) {
      enc.resolveQuerySet(profile.set, 0, 2 * (runs.length + 1), profile.resolve, 0);
      enc.copyBufferToBuffer(profile.resolve, 0, profile.read, 0, 16 * (runs.length + 1));
    }
    device.queue.submit([enc.finish()]);
    const words = await this.readback();
    const f = new Float32Array(words.buffer, 0, 5);
    const [loss, , gradNorm] = f;
    let mixedResult: StepResult['mixed'];
    if (this.scaler) {
      const counts = new Uint32Array(words.buffer, 20, 7);
      const skipped = f[4] !== 0;
      mixedResult = { scale: this.scaler.scale, skipped, underflow: counts[0], nonzero: counts[6] };
      const g = this.spec.mixed!.growthInterval;
      this.scaler = g > 0 || skipped ? nextScale(this.scaler.scale, this.scaler.clean, skipped, g || Infinity) : this.scaler;
    }
    if (!profile) return { loss, gradNorm, mixed: mixedResult };
    await profile.read.mapAsync(GPUMapMode.READ);
    const ns = new BigUint64Array(profile.read.getMappedRange().slice(0, 16 * (runs.length + 1)));
    profile.read.unmap();
    const ms = (q: number) => Number(ns[2 * q + 1] - ns[2 * q]) / 1e6;
    const timing = {
      matmul: 0,
      attention: 0,
      norms: 0,
      elementwise: 0,
      optimizer: ms(optIndex),
      data: 0,
      source: 'timestamp' as const,
    };
    runs.forEach((kind, q) => (timing[kind] += ms(q)));
    return { loss, gradNorm, timing, mixed: mixedResult };
  }

  /**
   * FLOPs and global bytes of one training step by kind of kernel, summed from each kernel's cost
   * model (the counts the instrumented builds are tested to equal). The gradient and weight copies
   * between the per-tensor and flat buffers are not kernels and are left out.
   */
  stepCost(): StepCost {
    const zero = { flops: 0, bytesRead: 0, bytesWritten: 0 };
    const out: StepCost = { matmul: zero, attention: zero, norms: zero, elementwise: zero, optimizer: this.adamw.cost };
    for (const e of [...this.forward, ...this.backward]) out[e.kind] = addCosts(out[e.kind], e.cost);
    return out;
  }

  async evaluate(batch: Batch): Promise<EvalResult> {
    const { device } = this.rt;
    this.upload(batch);
    const enc = device.createCommandEncoder({ label: 'evaluate' });
    const pass = enc.beginComputePass({ label: 'forward' });
    for (const e of this.forward) e(pass);
    pass.end();
    enc.copyBufferToBuffer(this.io.ceStats, 0, this.io.readback, 0, 8);
    device.queue.submit([enc.finish()]);
    const [loss] = await this.readback();
    const V = this.spec.model.vocab;
    const logits = new Float32Array(await readBuffer(device, this.io.logits, batch.rows * batch.context * V * 4));
    return { loss, predictions: argmaxRows(logits, V) };
  }

  async readState(): Promise<OptimizerState> {
    const n = this.layout.total * 4;
    const { device } = this.rt;
    const [params, m, v] = await Promise.all(
      [this.io.flat.params, this.io.flat.m, this.io.flat.v].map(
        async (b) => new Float32Array(await readBuffer(device, b, n)),
      ),
    );
    return { params, m, v };
  }

  async writeState(s: OptimizerState): Promise<void> {
    const { queue } = this.rt.device;
    const write = (b: GPUBuffer, a: Float32Array, offset = 0, size = a.length) =>
      queue.writeBuffer(b, 0, a.buffer as ArrayBuffer, a.byteOffset + offset * 4, size * 4);
    write(this.io.flat.params, s.params);
    write(this.io.flat.m, s.m);
    write(this.io.flat.v, s.v);
    for (const t of this.layout.tensors) write(this.io.param.get(t)!, s.params, t.offset, t.size);
    await queue.onSubmittedWorkDone();
  }

  dispose(): void {
    this.queries?.set.destroy();
    for (const o of this.ops) o.dispose();
    for (const k of this.counters) k.buffer.destroy();
    destroyAll(this.owned);
  }
}
