import { scaleLog } from 'd3';
import { useId, useMemo, useState } from 'react';
import { fmtGBps, fmtGflops, fmtMs, fmtRatio, fmtSI } from '../ui/format';
import type { Ceilings } from '../kernels/ceilings/ceilings';
import { achievedGflops, attainable, intensity, projectedMs, ridgePoint, roofsFromMeasured, roofsOfProfile, type Roofs } from '../sim/roofline/model';
import { findProfile, type HardwareProfile } from '../sim/roofline/profiles';
import type { RooflinePoint } from '../labkit/contract';
import { spreadLabels } from './labels';
import './roofline.css';

export interface RooflineProps {
  /** Measured runs, from the store's roofline slice (every lab adds its own). */
  points: RooflinePoint[];
  /** This device's measured roofs (copy bandwidth, FMA throughput); null until probed. */
  ceilings: Ceilings | null;
  /** Reference hardware profiles (src/sim/roofline/profiles.ts) drawn as dashed roofs. */
  profileIds?: string[];
  /** Points from other labs are drawn faded, so this lab's stand out. */
  highlightLab?: string;
  /** Also mark where the highlighted points would sit on each reference profile's roof. */
  showProjections?: boolean;
  /** Draw the reference profiles' BF16 matrix-unit roofs as well as FP32. */
  showBf16?: boolean;
}

const W = 700;
const PLOT_H = 340;
const M = { left: 66, right: 16, top: 14, bottom: 46 };
/** Line height of the 11 px roof labels: the least vertical distance between two of them. */
const ROOF_LABEL_GAP = 13;
const PROFILE_COLOURS = ['#4a6fa5', '#b0417a', '#2e7d32', '#8d6e63', '#5f6b7a'];
/**
 * Categorical colours for measured series. Orange, teal, violet and red are left out: UI.md gives
 * them to memory traffic, on-chip memory, compute and errors.
 */
const SERIES_COLOURS = ['#4e79a7', '#59a14f', '#d4a419', '#e377c2', '#8c564b', '#1f3b73', '#8c8c24', '#7f7f7f', '#17becf', '#bcbd22'];

interface Hover {
  x: number;
  y: number;
  lines: string[];
}

interface Plotted {
  p: RooflinePoint;
  fi: number;
  gflops: number;
  series: string;
  faded: boolean;
}

interface RoofLine {
  key: string;
  label: string;
  roofs: Roofs;
  colour: string;
  dash?: string;
  /** Device roofs colour the slanted part as memory traffic and the flat part as compute. */
  device: boolean;
}

function seriesKey(p: RooflinePoint): string {
  return `${p.kernel} · ${p.variant}`;
}

/** Width of the legend's swatch and the gap before its text. */
const LEGEND_SWATCH = 30;

/**
 * A text's width in the chart's sans-serif at `px`, from an average advance of 0.56 em (DejaVu
 * Sans and system UI fonts run 0.5–0.6 em): a little generous, so estimated fits really fit.
 */
function estTextWidth(text: string, px: number): number {
  return text.length * px * 0.56;
}

function decadeTicks(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let e = Math.ceil(Math.log10(lo) - 1e-9); e <= Math.floor(Math.log10(hi) + 1e-9); e++) out.push(10 ** e);
  return out;
}

function fmtIntensity(x: number): string {
  if (!Number.isFinite(x)) return '—';
  return x >= 100 ? x.toFixed(0) : x >= 1 ? x.toPrecision(3) : x.toPrecision(2);
}

/**
 * Log-log roofline: arithmetic intensity against achieved FLOP/s. The user's device roofs come from
 * the measured copy and FMA kernels; reference profiles are datasheet peaks; each measured run is a
 * point. A point's height below its roof is performance left on the table.
 */
export function Roofline({ points, ceilings, profileIds = [], highlightLab, showProjections = false, showBf16 = false }: RooflineProps) {
  const [hover, setHover] = useState<Hover | null>(null);
  // Unique per chart: two rooflines on one page must not share a clip path.
  const clipId = `roofline-clip-${useId().replace(/:/g, '')}`;
  const device = useMemo(() => (ceilings ? roofsFromMeasured(ceilings) : null), [ceilings]);
  const profiles = useMemo(() => profileIds.map(findProfile).filter((p): p is HardwareProfile => Boolean(p)), [profileIds]);

  const roofLines = useMemo(() => {
    const out: RoofLine[] = [];
    if (device) out.push({ key: 'device', label: 'This device (measured)', roofs: device, colour: 'var(--hbm)', device: true });
    profiles.forEach((p, i) => {
      const colour = PROFILE_COLOURS[i % PROFILE_COLOURS.length];
      out.push({ key: `${p.id}/fp32`, label: `${p.name} FP32`, roofs: roofsOfProfile(p, 'fp32'), colour, dash: '6 4', device: false });
      if (showBf16 && p.bf16Gflops)
        out.push({ key: `${p.id}/bf16`, label: `${p.name} BF16 tensor`, roofs: roofsOfProfile(p, 'bf16'), colour, dash: '2 3', device: false });
    });
    return out;
  }, [device, profiles, showBf16]);

  const { plotted, offScale, series } = useMemo(() => {
    const keys: string[] = [];
    const plotted: Plotted[] = [];
    let offScale = 0;
    for (const p of points) {
      const fi = intensity(p.flops, p.bytes);
      const gflops = achievedGflops(p.flops, p.ms);
      // Pure copies (0 FLOP) have no place on a log axis; they are counted in a note instead.
      if (!(fi > 0) || !Number.isFinite(fi) || !(gflops > 0)) {
        offScale++;
        continue;
      }
      const faded = Boolean(highlightLab && p.lab !== highlightLab);
      const s = seriesKey(p);
      if (!faded && !keys.includes(s)) keys.push(s);
      plotted.push({ p, fi, gflops, series: s, faded });
    }
    return { plotted, offScale, series: keys };
  }, [points, highlightLab]);

  const colourOf = useMemo(() => {
    const m = new Map(series.map((s, i) => [s, SERIES_COLOURS[i % SERIES_COLOURS.length]]));
    return (s: string) => m.get(s) ?? 'var(--idle)';
  }, [series]);

  const { x, y } = useMemo(() => {
    // Always span 0.1–100 FLOP/byte, where elementwise ops, attention and matmuls live, so an
    // empty chart or a single roof still reads as a roofline.
    const xs = [0.1, 30, ...plotted.map((d) => d.fi), ...roofLines.map((r) => ridgePoint(r.roofs))];
    const xLo = 10 ** Math.floor(Math.log10(Math.min(...xs) / 2));
    const xHi = 10 ** Math.ceil(Math.log10(Math.max(...xs) * 3));
    const ys = [...plotted.map((d) => d.gflops), ...roofLines.map((r) => r.roofs.peakGflops)];
    if (device) ys.push(attainable(xLo, device));
    const yLo = 10 ** Math.floor(Math.log10((ys.length ? Math.min(...ys) : 1) / 2));
    const yHi = 10 ** Math.ceil(Math.log10((ys.length ? Math.max(...ys) : 1000) * 2));
    return {
      x: scaleLog()
        .domain([xLo, xHi])
        .range([M.left, W - M.right]),
      y: scaleLog()
        .domain([yLo, yHi])
        .range([M.top + PLOT_H, M.top]),
    };
  }, [plotted, roofLines, device]);

  const projections = useMemo(() => {
    if (!showProjections) return [];
    return plotted
      .filter((d) => !d.faded)
      .flatMap((d) =>
        profiles.map((prof, i) => {
          const roofs = roofsOfProfile(prof, 'fp32');
          return {
            d,
            prof,
            colour: PROFILE_COLOURS[i % PROFILE_COLOURS.length],
            gflops: attainable(d.fi, roofs),
            ms: projectedMs(d.p.flops, d.p.bytes, roofs),
          };
        }),
      );
  }, [plotted, profiles, showProjections]);

  const [xLo, xHi] = x.domain();
  const [yLo, yHi] = y.domain();
  const legendItems = [
    ...roofLines.map((r) => ({
      key: r.key,
      label: r.device ? `${r.label}: ${fmtGBps(r.roofs.bandwidthGBps)}, ${fmtGflops(r.roofs.peakGflops)}` : r.label,
      colour: r.colour,
      dash: r.dash,
      kind: 'line' as const,
    })),
    ...series.map((s) => ({ key: `s/${s}`, label: s, colour: colourOf(s), dash: undefined, kind: 'dot' as const })),
    ...(projections.length
      ? [
          {
            key: 'projections',
            label: `same runs projected onto ${profiles.map((p) => p.name).join(', ')}`,
            colour: PROFILE_COLOURS[0],
            dash: undefined,
            kind: 'square' as const,
          },
        ]
      : []),
  ];
  const legendRowH = 18;
  const legendTop = M.top + PLOT_H + M.bottom;
  // Two columns where every label fits its half; otherwise one item per row, so no label runs into the next.
  const halfW = (W - M.left - M.right) / 2;
  const legendCols = legendItems.every((it) => LEGEND_SWATCH + estTextWidth(it.label, 12) + 8 <= halfW) ? 2 : 1;
  const legendRows = Math.ceil(legendItems.length / legendCols);
  const H = legendTop + legendRows * legendRowH + (offScale ? legendRowH : 0) + 8;

  // Baselines of the roof labels: 4 px above each flat roof where possible, at least one text line
  // apart, inside the plot and above the ridge labels along its bottom.
  const labelYs = spreadLabels(
    roofLines.map((r) => y(r.roofs.peakGflops) - 4),
    ROOF_LABEL_GAP,
    M.top + ROOF_LABEL_GAP,
    M.top + PLOT_H - 30,
  );

  const show = (px: number, py: number, lines: string[]) => setHover({ x: px, y: py, lines });
  const hide = () => setHover(null);

  const roofPath = (r: Roofs, from: number, to: number) => `M${x(from)},${y(attainable(from, r))}L${x(to)},${y(attainable(to, r))}`;

  return (
    <svg
      className="chart roofline"
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label="Roofline chart: arithmetic intensity against achieved FLOP per second, both on log scales; the results table lists the same numbers"
      onMouseLeave={hide}
    >
      <defs>
        <clipPath id={clipId}>
          <rect x={M.left} y={M.top} width={W - M.left - M.right} height={PLOT_H} />
        </clipPath>
      </defs>
      <g className="grid">
        {decadeTicks(xLo, xHi).map((t) => (
          <line key={`gx${t}`} x1={x(t)} x2={x(t)} y1={M.top} y2={M.top + PLOT_H} />
        ))}
        {decadeTicks(yLo, yHi).map((t) => (
          <line key={`gy${t}`} x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} />
        ))}
      </g>
      <g className="axis">
        <line x1={M.left} x2={W - M.right} y1={M.top + PLOT_H} y2={M.top + PLOT_H} />
        <line x1={M.left} x2={M.left} y1={M.top} y2={M.top + PLOT_H} />
        {decadeTicks(xLo, xHi).map((t) => (
          <text key={`tx${t}`} x={x(t)} y={M.top + PLOT_H + 16} textAnchor="middle">
            {fmtIntensity(t)}
          </text>
        ))}
        {decadeTicks(yLo, yHi).map((t) => (
          <text key={`ty${t}`} x={M.left - 6} y={y(t) + 4} textAnchor="end">
            {fmtSI(t * 1e9, '', 1)}
          </text>
        ))}
        <text x={(M.left + W - M.right) / 2} y={M.top + PLOT_H + 36} textAnchor="middle" className="axis-label">
          Arithmetic intensity (FLOP/byte, log scale)
        </text>
        <text transform={`translate(16,${M.top + PLOT_H / 2}) rotate(-90)`} textAnchor="middle" className="axis-label">
          Performance (FLOP/s, log scale)
        </text>
      </g>

      <g clipPath={`url(#${clipId})`}>
        {roofLines.map((r) => {
          const ridge = ridgePoint(r.roofs);
          return (
            <g key={r.key} className="roof" data-roof={r.key}>
              {r.device ? (
                <>
                  <path d={roofPath(r.roofs, xLo, ridge)} stroke="var(--hbm)" strokeWidth={2.5} fill="none" />
                  <path d={roofPath(r.roofs, ridge, xHi)} stroke="var(--compute)" strokeWidth={2.5} fill="none" />
                </>
              ) : (
                <path
                  d={`${roofPath(r.roofs, xLo, ridge)}L${x(xHi)},${y(r.roofs.peakGflops)}`}
                  stroke={r.colour}
                  strokeWidth={1.5}
                  strokeDasharray={r.dash}
                  fill="none"
                />
              )}
            </g>
          );
        })}
      </g>

      {/* Roof labels share the right edge: spread apart so none overlaps another, each tied to its roof by a leader when moved. */}
      <g className="roof-labels">
        {roofLines.map((r, i) => {
          const roofY = y(r.roofs.peakGflops);
          const ly = labelYs[i];
          const moved = Math.abs(ly - (roofY - 4)) > 2;
          return (
            <g key={r.key} data-roof-label={r.key}>
              {moved ? <line x1={W - M.right - 1} x2={W - M.right - 1} y1={ly - 4} y2={roofY} stroke={r.device ? 'var(--compute)' : r.colour} strokeWidth={1} /> : null}
              <text x={W - M.right - 4} y={ly} textAnchor="end" className="roof-label" style={{ fill: r.device ? 'var(--compute)' : r.colour }}>
                {r.device ? 'this device' : r.label} {fmtGflops(r.roofs.peakGflops)}
              </text>
            </g>
          );
        })}
      </g>

      {roofLines.map((r) => {
        const ridge = ridgePoint(r.roofs);
        if (ridge < xLo || ridge > xHi) return null;
        const cx = x(ridge);
        const cy = y(r.roofs.peakGflops);
        const lines = [
          `${r.label}`,
          `ridge point: ${fmtIntensity(ridge)} FLOP/byte`,
          `bandwidth ${fmtGBps(r.roofs.bandwidthGBps)}, compute ${fmtGflops(r.roofs.peakGflops)}`,
          r.device ? 'measured by the copy and FMA kernels' : 'datasheet peak',
        ];
        return (
          <g key={`ridge-${r.key}`} className="ridge" data-ridge={r.key}>
            {r.device ? (
              <>
                <line x1={cx} x2={cx} y1={cy} y2={M.top + PLOT_H} stroke="var(--fg-2)" strokeDasharray="3 3" />
                <text x={cx + 4} y={M.top + PLOT_H - 6} className="ridge-label">
                  ridge {fmtIntensity(ridge)} FLOP/B
                </text>
                <text x={cx - 4} y={M.top + PLOT_H - 20} textAnchor="end" className="ridge-label">
                  ← memory-bound
                </text>
                <text x={cx + 4} y={M.top + PLOT_H - 20} className="ridge-label">
                  compute-bound →
                </text>
              </>
            ) : null}
            <path
              d={`M${cx},${cy - 6}L${cx + 6},${cy}L${cx},${cy + 6}L${cx - 6},${cy}Z`}
              fill={r.device ? 'var(--fg)' : r.colour}
              tabIndex={0}
              aria-label={lines.join('; ')}
              onMouseEnter={() => show(cx, cy, lines)}
              onFocus={() => show(cx, cy, lines)}
              onBlur={hide}
            />
          </g>
        );
      })}

      {projections.map(({ d, prof, colour, gflops, ms }) => {
        const cx = x(d.fi);
        const cy = y(gflops);
        const lines = [
          `${d.p.kernel} · ${d.p.variant}`,
          `projected onto ${prof.name}`,
          `size ${d.p.size}, ${fmtIntensity(d.fi)} FLOP/byte`,
          `roof ${fmtGflops(gflops)}, time ≥ ${fmtMs(ms)}`,
          `measured here: ${fmtMs(d.p.ms)} (${fmtRatio(d.p.ms / ms)} longer)`,
        ];
        return (
          <rect
            key={`proj-${d.p.id}-${prof.id}`}
            className="projection"
            x={cx - 4}
            y={cy - 4}
            width={8}
            height={8}
            fill="var(--bg)"
            stroke={colour}
            strokeWidth={1.5}
            tabIndex={0}
            aria-label={lines.join('; ')}
            onMouseEnter={() => show(cx, cy, lines)}
            onFocus={() => show(cx, cy, lines)}
            onBlur={hide}
          />
        );
      })}

      {plotted.map((d) => {
        const cx = x(d.fi);
        const cy = y(d.gflops);
        const lines = [
          `${d.p.kernel} · ${d.p.variant}${d.p.lab !== highlightLab ? ` (${d.p.lab} lab)` : ''}`,
          `size ${d.p.size}`,
          `${fmtIntensity(d.fi)} FLOP/byte`,
          `${fmtGflops(d.gflops)}, ${fmtGBps(d.p.bytes / (d.p.ms * 1e6))}`,
          `time ${fmtMs(d.p.ms)}`,
        ];
        return (
          <circle
            key={d.p.id}
            className="point"
            data-point={d.p.id}
            data-variant={d.p.variant}
            cx={cx}
            cy={cy}
            r={d.faded ? 4 : 6}
            fill={d.faded ? 'var(--idle)' : colourOf(d.series)}
            opacity={d.faded ? 0.45 : 0.95}
            stroke="var(--bg)"
            strokeWidth={1.5}
            tabIndex={0}
            aria-label={lines.join('; ')}
            onMouseEnter={() => show(cx, cy, lines)}
            onFocus={() => show(cx, cy, lines)}
            onBlur={hide}
          />
        );
      })}

      <g className="legend" transform={`translate(${M.left},${legendTop})`}>
        {legendItems.map((it, i) => {
          const lx = (i % legendCols) * halfW;
          const ly = Math.floor(i / legendCols) * legendRowH;
          return (
            <g key={it.key} transform={`translate(${lx},${ly})`}>
              {it.kind === 'line' ? (
                it.key === 'device' ? (
                  <>
                    <line x1={0} x2={12} y1={6} y2={6} stroke="var(--hbm)" strokeWidth={2.5} />
                    <line x1={12} x2={24} y1={6} y2={6} stroke="var(--compute)" strokeWidth={2.5} />
                  </>
                ) : (
                  <line x1={0} x2={24} y1={6} y2={6} stroke={it.colour} strokeWidth={1.5} strokeDasharray={it.dash} />
                )
              ) : it.kind === 'square' ? (
                <rect x={8} y={2} width={8} height={8} fill="var(--bg)" stroke={it.colour} strokeWidth={1.5} />
              ) : (
                <circle cx={12} cy={6} r={5} fill={it.colour} />
              )}
              <text x={30} y={10}>
                {it.label}
              </text>
            </g>
          );
        })}
        {offScale ? (
          <text x={0} y={legendRows * legendRowH + 10} className="roof-note">
            {offScale} run{offScale > 1 ? 's' : ''} with 0 FLOP (pure copies) not drawn: a log axis has no place for 0 FLOP/byte.
          </text>
        ) : null}
        {!device ? (
          <text x={8} y={M.top - legendTop + 14} className="roof-note">
            this device’s roofs are not measured yet
          </text>
        ) : null}
      </g>

      {hover ? <Tooltip {...hover} /> : null}
    </svg>
  );
}

function Tooltip({ x, y, lines }: Hover) {
  const lineH = 15;
  const w = Math.max(...lines.map((l) => l.length)) * 6.4 + 16;
  const h = lines.length * lineH + 10;
  // Keep the box inside the plot: flip left/below when the point is near the right/top edge.
  const tx = Math.max(2, Math.min(W - w - 2, x + 12 + w > W ? x - 12 - w : x + 12));
  const ty = y - h - 8 < 0 ? y + 10 : y - h - 8;
  return (
    <g className="roofline-tooltip" transform={`translate(${tx},${ty})`} pointerEvents="none" role="status">
      <rect width={w} height={h} rx={4} />
      {lines.map((l, i) => (
        <text key={i} x={8} y={16 + i * lineH} fontWeight={i === 0 ? 600 : 400}>
          {l}
        </text>
      ))}
    </g>
  );
}
