import { useId, useMemo, useState, type DragEvent } from 'react';
import {
  countParams,
  decodeConfig,
  encodeConfig,
  kvBytesPerToken,
  MODELS,
  parseModelConfig,
  type ConfigProblem,
  type ModelArch,
} from '../catalog';
import { fmtBytes } from './format';

/**
 * "Your own model": paste or drop a Hugging Face config.json; it is validated field by field,
 * counted, and handed back compressed (deflate + base64url) for the lab to keep in its URL, so a
 * link or an embed carries the model. The count sits beside the one the user expects (from the
 * model card), the quickest check that the config is the model they meant.
 */
interface Props {
  /** The compressed config currently in the URL ('' for none). */
  encoded: string;
  onApply(encoded: string): void;
}

const fmtParams = (n: number) => (n >= 1e9 ? `${(n / 1e9).toFixed(2)} B` : `${(n / 1e6).toFixed(1)} M`);

export function archSummary(a: ModelArch): string {
  const moe = a.moe
    ? `, MoE ${a.moe.experts} experts (${a.moe.topK} per token${a.moe.shared ? ` + ${a.moe.shared} shared` : ''})`
    : '';
  const attn = a.mla
    ? `MLA (latent ${a.mla.kvLoraRank} + RoPE ${a.mla.ropeDim})`
    : `${a.attention} (${a.heads} heads, ${a.kvHeads} KV heads of ${a.headDim})`;
  return `${a.layers} layers, hidden ${a.hidden}, ${attn}${moe}`;
}

export function ModelConfigInput({ encoded, onApply }: Props) {
  const id = useId();
  const current = useMemo(() => (encoded ? decodeConfig(encoded) : null), [encoded]);
  const [text, setText] = useState(() => (current?.ok ? JSON.stringify(current.config, null, 2) : ''));
  const [problems, setProblems] = useState<ConfigProblem[]>([]);
  const [expectedB, setExpectedB] = useState('');

  const apply = (json: string) => {
    const r = parseModelConfig(json);
    if (!r.ok) {
      setProblems(r.problems);
      return;
    }
    setProblems([]);
    onApply(encodeConfig(r.config));
  };
  const readFile = (f: File | undefined) => {
    if (!f) return;
    if (f.size > 1 << 20) {
      setProblems([{ field: '(file)', message: `${f.name} is ${fmtBytes(f.size)}; a config.json is a few KiB` }]);
      return;
    }
    void f.text().then((t) => {
      setText(t);
      apply(t);
    });
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    readFile(e.dataTransfer.files[0]);
  };

  const arch = current?.ok ? current.arch : null;
  const count = arch ? countParams(arch) : null;
  const expected = Number(expectedB) * 1e9;
  const diff = count && expected > 0 ? count.total / expected - 1 : null;
  const linkProblems = current && !current.ok ? current.problems : [];

  return (
    <div className="model-config" data-testid="model-config">
      <label htmlFor={`${id}-json`}>Your model: paste or drop its config.json</label>
      <textarea
        id={`${id}-json`}
        rows={8}
        spellCheck={false}
        value={text}
        placeholder='{"hidden_size": 4096, "num_hidden_layers": 32, "num_attention_heads": 32, "num_key_value_heads": 8, "intermediate_size": 14336, "vocab_size": 128256, …}'
        onChange={(e) => setText(e.target.value)}
        onDragOver={(e) => e.preventDefault()}
        onDrop={onDrop}
        style={{ width: '100%', fontFamily: 'var(--mono, monospace)', fontSize: '0.8rem' }}
      />
      <div
        className="model-config-actions"
        style={{ display: 'flex', flexWrap: 'wrap', gap: '0.5rem', alignItems: 'center' }}
      >
        <button type="button" onClick={() => apply(text)} data-testid="model-config-apply">
          Use this config
        </button>
        <label>
          or a file{' '}
          <input type="file" accept=".json,application/json" onChange={(e) => readFile(e.target.files?.[0])} />
        </label>
        <label>
          start from{' '}
          <select
            value=""
            onChange={(e) => {
              const m = MODELS.find((x) => x.id === e.target.value);
              if (m) setText(JSON.stringify(m.config, null, 2));
            }}
          >
            <option value="">a preset…</option>
            {MODELS.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      {problems.length || linkProblems.length ? (
        <div className="notice" role="alert" data-testid="model-config-problems">
          <p>
            <strong>
              {problems.length ? 'This config cannot be used:' : 'The config in the link cannot be used:'}
            </strong>
          </p>
          <ul>
            {(problems.length ? problems : linkProblems).map((p) => (
              <li key={`${p.field}:${p.message}`}>
                <code>{p.field}</code>: {p.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {arch && count ? (
        <p data-testid="model-config-summary">
          <strong>{fmtParams(count.total)} parameters</strong>
          {arch.moe ? ` (${fmtParams(count.active)} active per token)` : ''}, counted from the fields:{' '}
          {archSummary(arch)}; KV cache {fmtBytes(kvBytesPerToken(arch, 2))} per token in 16-bit.{' '}
          <label>
            You expect{' '}
            <input
              inputMode="decimal"
              size={6}
              value={expectedB}
              aria-label="Parameters you expect, in billions"
              onChange={(e) => setExpectedB(e.target.value)}
            />{' '}
            B (from the model card)
          </label>
          {diff !== null && Number.isFinite(diff) ? (
            <span data-testid="model-config-diff">
              :{' '}
              {Math.abs(diff) < 0.01
                ? 'within 1 %'
                : `${diff > 0 ? '+' : ''}${(diff * 100).toFixed(1)} % (check tied embeddings, biases, experts)`}
            </span>
          ) : null}
        </p>
      ) : null}
    </div>
  );
}
