import { useEffect, useId, useState } from 'react';
import type { ParamNotice, ParamSpec, ParamValue } from '../labkit/schema';

interface Props {
  spec: ParamSpec;
  value: ParamValue;
  notice?: ParamNotice;
  onChange(raw: unknown): void;
}

function toSlider(spec: Extract<ParamSpec, { kind: 'int' | 'number' }>, v: number): number {
  return spec.scale === 'log2' ? Math.log2(Math.max(v, 1e-9)) : v;
}

function fromSlider(spec: Extract<ParamSpec, { kind: 'int' | 'number' }>, s: number): number {
  const v = spec.scale === 'log2' ? 2 ** s : s;
  return spec.kind === 'int' ? Math.round(v) : v;
}

/** One schema parameter as a labelled control; the typed text is kept until it is valid or committed. */
export function ParamControl({ spec, value, notice, onChange }: Props) {
  const id = useId();
  const helpId = `${id}-help`;
  const [text, setText] = useState(String(value));
  useEffect(() => setText(String(value)), [value]);

  let control;
  if (spec.kind === 'bool') {
    control = <input id={id} type="checkbox" checked={Boolean(value)} aria-describedby={helpId} onChange={(e) => onChange(e.target.checked)} />;
  } else if (spec.kind === 'enum') {
    control = (
      <select id={id} value={String(value)} aria-describedby={helpId} onChange={(e) => onChange(e.target.value)}>
        {spec.values.map((v) => (
          <option key={v} value={v}>
            {spec.labels?.[v] ?? v}
          </option>
        ))}
      </select>
    );
  } else if (spec.kind === 'text') {
    const commitText = () => {
      if (text !== String(value)) onChange(text);
    };
    control = (
      <input
        id={id}
        type="text"
        value={text}
        maxLength={spec.maxLength}
        aria-describedby={helpId}
        aria-invalid={Boolean(notice)}
        onChange={(e) => setText(e.target.value)}
        onBlur={commitText}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commitText();
        }}
      />
    );
  } else {
    const commit = () => {
      if (text !== String(value)) onChange(text);
    };
    const lo = toSlider(spec, spec.min);
    const hi = toSlider(spec, spec.max);
    control = (
      <div className="num-control">
        <input
          type="range"
          aria-label={`${spec.label} slider`}
          min={lo}
          max={hi}
          step={spec.scale === 'log2' ? 1 : (spec.step ?? (spec.kind === 'int' ? 1 : (hi - lo) / 100))}
          value={toSlider(spec, Number(value))}
          onChange={(e) => onChange(fromSlider(spec, Number(e.target.value)))}
        />
        <input
          id={id}
          className="num-input"
          inputMode="decimal"
          value={text}
          aria-describedby={helpId}
          aria-invalid={Boolean(notice)}
          onChange={(e) => setText(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commit();
          }}
        />
      </div>
    );
  }

  return (
    <div className={`param ${notice ? 'param-invalid' : ''}`} data-param={spec.key}>
      <label htmlFor={id}>
        {spec.label}
        {spec.unit ? <span className="unit"> ({spec.unit})</span> : null}
      </label>
      {control}
      <p id={helpId} className="help">
        {spec.help}
      </p>
      {notice ? (
        <p className="param-notice" role="status">
          {notice.message}
        </p>
      ) : null}
    </div>
  );
}
