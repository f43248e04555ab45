/**
 * One data-parallel rank of the browser mini-cluster, free of any worker API so tests can call it
 * directly: it holds a full replica of the model (DDP), computes the gradient of its shard of each
 * global batch, ring-all-reduces it with its neighbours over two MessagePorts, and applies the same
 * optimizer update as every other rank. All math is src/sim/cluster.
 */
import { ringAllReduce, type RingLink, type RingMessage } from '../sim/cluster/allreduce';
import {
  applyUpdate,
  checkTrainConfig,
  localGradient,
  rankBatch,
  type TrainConfig,
  type TrainState,
} from '../sim/cluster/training';

/** The part of MessagePort both the browser and Node's worker_threads implement. */
export interface PortLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (e: MessageEvent) => void): void;
  start?(): void;
  close?(): void;
}

export interface RankInit {
  rank: number;
  world: number;
  cfg: TrainConfig;
  state: TrainState;
  /** To rank + 1 (null when world = 1). */
  send: PortLike | null;
  /** From rank − 1 (null when world = 1). */
  recv: PortLike | null;
}

export interface RankStepReport {
  rank: number;
  step: number;
  lossSum: number;
  /** Sample ids this rank trained on at this step (its shard of the global batch). */
  ids: Int32Array;
  bytesSent: number;
  messages: number;
  computeMs: number;
  commMs: number;
  /** FNV-1a of the parameters after the update: DDP replicas must agree bit for bit. */
  paramsHash: number;
}

export interface ClusterRankApi {
  init(init: RankInit): { rank: number; params: number };
  /** One training step; `extraMs` of waiting inside it stands in for a bigger model's compute. */
  step(step: number, extraMs?: number): Promise<RankStepReport>;
  /** A copy of the replica's weights, optimizer state and step (for a checkpoint). */
  state(): TrainState;
  /** Heartbeat: answers while the rank's event loop runs (also while it waits inside a collective). */
  ping(): number;
  /** Dies the way a crashing worker does: an uncaught error, no reply (tests and the demo). */
  crash(): void;
}

/** FNV-1a over the float bits. */
export function hashFloats(a: Float32Array): number {
  const u = new Uint32Array(a.buffer, a.byteOffset, a.length);
  let h = 0x811c9dc5;
  for (let i = 0; i < u.length; i++) {
    h ^= u[i];
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** A RingLink over two ports: messages queue until the ring algorithm asks for them. */
export function portLink(send: PortLike, recv: PortLike): RingLink {
  const queue: RingMessage[] = [];
  let waiter: ((m: RingMessage) => void) | null = null;
  recv.addEventListener('message', (e: MessageEvent) => {
    const m = e.data as RingMessage;
    if (waiter) {
      const w = waiter;
      waiter = null;
      w(m);
    } else queue.push(m);
  });
  recv.start?.();
  return {
    send(msg) {
      // The chunk is a fresh slice: move its buffer instead of copying it.
      send.postMessage(msg, [msg.data.buffer]);
    },
    recv() {
      const m = queue.shift();
      if (m) return Promise.resolve(m);
      return new Promise((resolve) => (waiter = resolve));
    },
  };
}

const now = () => performance.now();

export function createRankApi(): ClusterRankApi {
  let me: { rank: number; world: number; cfg: TrainConfig; state: TrainState; link: RingLink | null } | null = null;
  return {
    init(init) {
      checkTrainConfig(init.cfg);
      if (!(init.world >= 1) || !(init.rank >= 0 && init.rank < init.world))
        throw new RangeError(`rank ${init.rank} of ${init.world} is not a valid place in the ring`);
      if (init.world > 1 && (!init.send || !init.recv))
        throw new Error(`rank ${init.rank}: a ring of ${init.world} needs both ports`);
      const link = init.world > 1 ? portLink(init.send!, init.recv!) : null;
      me = { rank: init.rank, world: init.world, cfg: init.cfg, state: init.state, link };
      return { rank: init.rank, params: init.state.params.length };
    },
    async step(step, extraMs = 0) {
      if (!me) throw new Error('rank used before init()');
      const { rank, world, cfg, state } = me;
      if (step !== state.step) throw new Error(`rank ${rank} is at step ${state.step} but was asked for step ${step}`);
      const t0 = now();
      const ids = rankBatch(cfg, step, world, rank);
      const { grad, lossSum } = localGradient(cfg, state.params, ids);
      if (extraMs > 0) await new Promise((r) => setTimeout(r, extraMs));
      const t1 = now();
      const stats = me.link ? await ringAllReduce(grad, world, rank, me.link, step) : { bytesSent: 0, messages: 0 };
      const t2 = now();
      applyUpdate(cfg, state, grad);
      return {
        rank,
        step,
        lossSum,
        ids,
        bytesSent: stats.bytesSent,
        messages: stats.messages,
        computeMs: t1 - t0 + (now() - t2),
        commMs: t2 - t1,
        paramsHash: hashFloats(state.params),
      };
    },
    state() {
      if (!me) throw new Error('rank used before init()');
      const s = me.state;
      return { step: s.step, params: s.params.slice(), m: s.m.slice(), v: s.v.slice() };
    },
    ping() {
      return me?.state.step ?? -1;
    },
    crash() {
      setTimeout(() => {
        throw new Error(`cluster rank ${me?.rank ?? '?'} crashed (injected)`);
      }, 0);
    },
  };
}
