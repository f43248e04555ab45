import { useEffect, useId, useState } from 'react';
import type { ParamNotice, ParamSpec, ParamValue } from '../labkit/schema';
import { gridIndex, logGrid, valueText } from './sliderGrid';

interface Props {
  spec: ParamSpec;
  value: ParamValue;
  notice?: ParamNotice;
  onChange(raw: unknown): void;
}

/** One schema parameter as a labelled control; the typed text is kept until it is valid or committed. */
export function ParamControl({ spec, value, notice, onChange }: Props) {
  const id = useId();
  const helpId = `${id}-help`;
  const [text, setText] = useState(String(value));
  useEffect(() => setText(String(value)), [value]);

  let control;
  if (spec.kind === 'bool') {
    control = (
      <input
        id={id}
        type="checkbox"
        checked={Boolean(value)}
        aria-describedby={helpId}
        onChange={(e) => onChange(e.target.checked)}
      />
    );
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
    const current = Number(value);
    // Log sliders move over positions anchored at the shown value (sliderGrid.ts); linear ones over the range.
    const grid = spec.scale === 'log2' ? logGrid(spec, current) : null;
    const range = grid
      ? { min: 0, max: grid.length - 1, step: 1, value: gridIndex(grid, current) }
      : {
          min: spec.min,
          max: spec.max,
          step: spec.step ?? (spec.kind === 'int' ? 1 : (spec.max - spec.min) / 100),
          value: current,
        };
    control = (
      <div className="num-control">
        <input
          type="range"
          aria-label={`${spec.label} slider`}
          aria-valuetext={valueText(current, spec.unit)}
          {...range}
          onChange={(e) => {
            const pos = Number(e.target.value);
            const next = grid ? grid[pos] : pos;
            onChange(spec.kind === 'int' ? Math.round(next) : next);
          }}
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
