/**
 * `npm run train -- --config tiny --steps 1500 --out tiny.gptckpt [--resume FILE] [--seed N]
 *   [--eval-every N] [--backend gpu|cpu] [--workers N]`
 * Trains the addition GPT with the same Trainer the lab runs and writes one checkpoint file
 * (src/model/train/checkpoint.ts) at the end and every --checkpoint-every steps. --config is a
 * preset name (src/model/presets.ts) or a JSON file with { model, task, steps, lr }. Batches come
 * from the training stream's Parquet shards through --workers dataloader worker threads (default
 * 2, the lab's worker pool), or from the sampler in this thread with --workers 0: the same batches.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { validateConfig } from '../src/model/config';
import { PRESET_NAMES, PRESETS, type Preset } from '../src/model/presets';
import { validateTask } from '../src/model/task';
import { decodeCheckpoint, encodeCheckpoint } from '../src/model/train/checkpoint';
import { installDawn } from '../src/gpu/node';
import { GpuRuntime } from '../src/gpu/runtime';
import { GpuBackend } from '../src/model/gpu/gpuBackend';
import { CpuBackend } from '../src/model/train/cpuBackend';
import { defaultSpec } from '../src/model/train/hyper';
import { inlineData, Trainer, type BackendFactory } from '../src/model/train/trainer';
import { nodeWorkerFactory } from '../src/workers/node/nodeFactory';
import { shardData } from '../src/workers/shardStream';

function usage(message?: string): never {
  if (message) process.stderr.write(`${message}\n`);
  process.stderr.write(
    `usage: npm run train -- --config ${PRESET_NAMES.join('|')}|FILE.json --steps N --out FILE [--resume FILE] [--seed N] [--eval-every N] [--checkpoint-every N] [--backend cpu] [--workers N]\n`,
  );
  process.exit(message ? 2 : 0);
}

function parseArgs(argv: string[]) {
  const o: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') usage();
    if (!a.startsWith('--')) usage(`unexpected argument ${a}`);
    const [k, inline] = a.slice(2).split('=', 2);
    const v = inline ?? argv[++i];
    if (v === undefined) usage(`--${k} needs a value`);
    o[k] = v;
  }
  for (const k of Object.keys(o))
    if (
      !['config', 'steps', 'out', 'resume', 'seed', 'eval-every', 'checkpoint-every', 'backend', 'workers'].includes(k)
    )
      usage(`unknown option --${k}`);
  return o;
}

function int(o: Record<string, string>, k: string, fallback?: number): number {
  if (o[k] === undefined) {
    if (fallback === undefined) usage(`--${k} is required`);
    return fallback;
  }
  const n = Number(o[k]);
  if (!Number.isInteger(n) || n < 0) usage(`--${k} must be a non-negative integer, got ${o[k]}`);
  return n;
}

function loadPreset(name: string): Preset {
  if (name in PRESETS) return PRESETS[name as keyof typeof PRESETS];
  let p: Preset;
  try {
    p = JSON.parse(readFileSync(name, 'utf8')) as Preset;
  } catch (e) {
    usage(
      `--config ${name}: not a preset (${PRESET_NAMES.join(', ')}) nor a readable JSON file (${(e as Error).message})`,
    );
  }
  validateConfig(p.model);
  validateTask(p.task, p.model.context);
  return p;
}

/** Writes to a temporary name, then renames: a kill mid-write never leaves a torn checkpoint under the real name. */
function save(path: string, bytes: Uint8Array): void {
  writeFileSync(`${path}.part`, bytes);
  renameSync(`${path}.part`, path);
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const out = o.out ?? usage('--out is required');
  const steps = int(o, 'steps');
  const evalEvery = int(o, 'eval-every', 100);
  const ckEvery = int(o, 'checkpoint-every', 0);
  // gpu (default): the training step on our WGSL kernels, on Dawn (SwiftShader where no hardware
  // adapter is asked for); cpu: the float64 reference, the yardstick the GPU step is tested against.
  const backend = o.backend ?? 'gpu';
  if (backend !== 'gpu' && backend !== 'cpu') usage(`--backend ${backend}: use gpu or cpu`);
  let rt: GpuRuntime | null = null;
  const factory: BackendFactory =
    backend === 'cpu'
      ? async (spec, params) => new CpuBackend(spec, params)
      : async (spec, params) => {
          installDawn();
          rt ??= await GpuRuntime.create();
          process.stderr.write(`adapter: ${rt.info.vendor}/${rt.info.architecture}\n`);
          return GpuBackend.create(rt, spec, params);
        };
  const workers = int(o, 'workers', 2);
  const data = workers > 0 ? shardData(await nodeWorkerFactory(), { workers, prefetch: 2 }) : inlineData;
  let trainer: Trainer;
  if (o.resume) {
    trainer = await Trainer.resume(decodeCheckpoint(readFileSync(o.resume)), factory, data);
    process.stderr.write(`resumed ${o.resume} at step ${trainer.step}\n`);
  } else {
    const p = loadPreset(o.config ?? usage('--config or --resume is required'));
    const spec = { ...defaultSpec(p.model, p.task, int(o, 'seed', 1)), steps: p.steps, lr: p.lr };
    trainer = await Trainer.create(spec, factory, data);
  }
  process.stderr.write(`batches: ${trainer.data.name}\n`);
  let dataMs = 0;
  const target = trainer.step + steps;
  const t0 = performance.now();
  let tokens = 0;
  while (trainer.step < target) {
    const r = await trainer.trainStep();
    tokens += r.tokens;
    dataMs += r.dataMs;
    if (r.step % evalEvery === 0 || r.step === target) {
      const e = await trainer.evaluate();
      const s = (performance.now() - t0) / 1000;
      process.stderr.write(
        `step ${r.step}  loss ${r.loss.toFixed(4)}  held-out ${e.loss.toFixed(4)}  exact ${(e.accuracy * 100).toFixed(1)}%  lr ${r.lr.toExponential(2)}  ${(tokens / s).toFixed(0)} tok/s  data wait ${((100 * dataMs) / (performance.now() - t0)).toFixed(1)}%\n`,
      );
    }
    if (ckEvery && r.step % ckEvery === 0) save(out, encodeCheckpoint(await trainer.checkpoint()));
  }
  const bytes = encodeCheckpoint(await trainer.checkpoint());
  save(out, bytes);
  process.stderr.write(`wrote ${out} (${bytes.length} bytes, step ${trainer.step}, backend ${trainer.backend.name})\n`);
  trainer.dispose();
  (rt as GpuRuntime | null)?.dispose();
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}\n`);
  process.exit(1);
});
