import { useId, useMemo } from 'react';
import { fmtGBps, fmtGflops, fmtMs, fmtRatio, fmtSI } from '../ui/format';
import type { Ceilings } from '../kernels/ceilings/ceilings';
import {
  achievedGflops,
  attainable,
  intensity,
  projectedMs,
  ridgePoint,
  roofsFromMeasured,
  roofsOfProfile,
  type Roofs,
} from '../sim/roofline/model';
import { findProfile, type HardwareProfile } from '../sim/roofline/profiles';
import type { RooflinePoint } from '../labkit/contract';
import { spreadLabels } from './labels';
import { key, type LegendItem } from './Legend';
import { Plot, type PlotContext } from './Plot';
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

const PLOT_H = 320;
/** On a phone: shorter, so the roofline and a control fit the first screen (the y ticks thin to match). */
const PLOT_H_PHONE = 160;
/** Line height of the 11 px roof labels: the least vertical distance between two of them. */
const ROOF_LABEL_GAP = 13;
const PROFILE_COLOURS = ['#4a6fa5', '#b0417a', '#2e7d32', '#8d6e63', '#5f6b7a'];
/**
 * Categorical colours for measured series. Orange, teal, violet and red are left out: UI.md gives
 * them to memory traffic, on-chip memory, compute and errors.
 */
const SERIES_COLOURS = [
  '#4e79a7',
  '#59a14f',
  '#d4a419',
  '#e377c2',
  '#8c564b',
  '#1f3b73',
  '#8c8c24',
  '#7f7f7f',
  '#17becf',
  '#bcbd22',
];

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

function fmtIntensity(x: number): string {
  if (!Number.isFinite(x)) return '—';
  return x >= 100 ? x.toFixed(0) : x >= 1 ? x.toPrecision(3) : x.toPrecision(2);
}

/**
 * Log-log roofline: arithmetic intensity against achieved FLOP/s. The user's device roofs come from
 * the measured copy and FMA kernels; reference profiles are datasheet peaks; each measured run is a
 * point. A point's height below its roof is performance left on the table.
 */
export function Roofline({
  points,
  ceilings,
  profileIds = [],
  highlightLab,
  showProjections = false,
  showBf16 = false,
}: RooflineProps) {
  // Unique per chart: two rooflines on one page must not share a clip path.
  const clipId = `roofline-clip-${useId().replace(/:/g, '')}`;
  const device = useMemo(() => (ceilings ? roofsFromMeasured(ceilings) : null), [ceilings]);
  const profiles = useMemo(
    () => profileIds.map(findProfile).filter((p): p is HardwareProfile => Boolean(p)),
    [profileIds],
  );

  const roofLines = useMemo(() => {
    const out: RoofLine[] = [];
    if (device)
      out.push({ key: 'device', label: 'This device (measured)', roofs: device, colour: 'var(--hbm)', device: true });
    profiles.forEach((p, i) => {
      const colour = PROFILE_COLOURS[i % PROFILE_COLOURS.length];
      out.push({
        key: `${p.id}/fp32`,
        label: `${p.name} FP32`,
        roofs: roofsOfProfile(p, 'fp32'),
        colour,
        dash: '6 4',
        device: false,
      });
      if (showBf16 && p.bf16Gflops)
        out.push({
          key: `${p.id}/bf16`,
          label: `${p.name} BF16 tensor`,
          roofs: roofsOfProfile(p, 'bf16'),
          colour,
          dash: '2 3',
          device: false,
        });
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

  const domain = useMemo(() => {
    // Always span 0.1–100 FLOP/byte, where elementwise ops, attention and matmuls live, so an
    // empty chart or a single roof still reads as a roofline.
    const xs = [0.1, 30, ...plotted.map((d) => d.fi), ...roofLines.map((r) => ridgePoint(r.roofs))];
    const xLo = 10 ** Math.floor(Math.log10(Math.min(...xs) / 2));
    const xHi = 10 ** Math.ceil(Math.log10(Math.max(...xs) * 3));
    const ys = [...plotted.map((d) => d.gflops), ...roofLines.map((r) => r.roofs.peakGflops)];
    if (device) ys.push(attainable(xLo, device));
    const yLo = 10 ** Math.floor(Math.log10((ys.length ? Math.min(...ys) : 1) / 2));
    const yHi = 10 ** Math.ceil(Math.log10((ys.length ? Math.max(...ys) : 1000) * 2));
    return { x: [xLo, xHi] as const, y: [yLo, yHi] as const };
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

  const legend: LegendItem[] = [
    ...roofLines.map((r) => ({
      label: r.device ? `${r.label}: ${fmtGBps(r.roofs.bandwidthGBps)}, ${fmtGflops(r.roofs.peakGflops)}` : r.label,
      color: r.device ? 'var(--hbm)' : r.colour,
      dash: r.dash,
      shape: r.device ? ('line' as const) : ('dash' as const),
    })),
    ...series.map((s) => key.dot(s, colourOf(s))),
    ...(projections.length
      ? [key.ring(`same runs projected onto ${profiles.map((p) => p.name).join(', ')}`, PROFILE_COLOURS[0])]
      : []),
  ];
  const marks = { clipId, roofLines, plotted, projections, colourOf, highlightLab, device: Boolean(device) };
  return (
    <>
      <Plot
        className="roofline"
        ariaLabel="Roofline chart: arithmetic intensity against achieved FLOP per second, both on log scales; each point and ridge is focusable and named; the results table lists the same numbers"
        height={PLOT_H}
        compactHeight={PLOT_H_PHONE}
        interactive
        legend={legend}
        tooltipClass="roofline-tooltip"
        fallbackWidth={700}
        x={{
          type: 'log',
          domain: domain.x,
          label: 'Arithmetic intensity (FLOP/byte, log scale)',
          format: (v) => fmtIntensity(Number(v)),
          grid: true,
        }}
        y={{
          type: 'log',
          domain: domain.y,
          label: 'Performance (FLOP/s, log scale)',
          format: (v) => fmtSI(Number(v) * 1e9, '', 1),
          grid: true,
        }}
      >
        {(ctx) => <RooflineMarks ctx={ctx} {...marks} />}
      </Plot>
      {offScale ? (
        <p className="roof-note">
          {offScale} run{offScale > 1 ? 's' : ''} with 0 FLOP (pure copies) not drawn: a log axis has no place for 0
          FLOP/byte.
        </p>
      ) : null}
    </>
  );
}

interface Projection {
  d: Plotted;
  prof: HardwareProfile;
  colour: string;
  gflops: number;
  ms: number;
}

/** Roofs, their labels, ridge points, projections and measured points, drawn on the kit's frame. */
function RooflineMarks({
  ctx,
  clipId,
  roofLines,
  plotted,
  projections,
  colourOf,
  highlightLab,
  device,
}: {
  ctx: PlotContext;
  clipId: string;
  roofLines: RoofLine[];
  plotted: Plotted[];
  projections: Projection[];
  colourOf(s: string): string;
  highlightLab?: string;
  device: boolean;
}) {
  const { x, y } = ctx;
  const xLo = x.lo;
  const xHi = x.hi;
  // Baselines of the roof labels: 4 px above each flat roof where possible, at least one text line
  // apart, inside the plot and above the ridge labels along its bottom.
  const labelYs = spreadLabels(
    roofLines.map((r) => y(r.roofs.peakGflops) - 4),
    ROOF_LABEL_GAP,
    ctx.top + ROOF_LABEL_GAP,
    ctx.bottom - 30,
  );
  const roofPath = (r: Roofs, from: number, to: number) =>
    `M${x(from)},${y(attainable(from, r))}L${x(to)},${y(attainable(to, r))}`;
  return (
    <>
      <defs>
        <clipPath id={clipId}>
          <rect x={ctx.left} y={ctx.top} width={ctx.right - ctx.left} height={ctx.bottom - ctx.top} />
        </clipPath>
      </defs>
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
              {moved ? (
                <line
                  x1={ctx.right - 1}
                  x2={ctx.right - 1}
                  y1={ly - 4}
                  y2={roofY}
                  stroke={r.device ? 'var(--compute)' : r.colour}
                  strokeWidth={1}
                />
              ) : null}
              <text
                x={ctx.right - 4}
                y={ly}
                textAnchor="end"
                className="roof-label"
                style={{ fill: r.device ? 'var(--compute)' : r.colour }}
              >
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
        // The bound-side captions go on whichever side of the ridge has room for them.
        const roomLeft = cx - ctx.left > 110;
        const roomRight = ctx.right - cx > 110;
        return (
          <g key={`ridge-${r.key}`} className="ridge" data-ridge={r.key}>
            {r.device ? (
              <>
                <line x1={cx} x2={cx} y1={cy} y2={ctx.bottom} stroke="var(--fg-2)" strokeDasharray="3 3" />
                <text
                  x={roomRight ? cx + 4 : cx - 4}
                  y={ctx.bottom - 6}
                  textAnchor={roomRight ? 'start' : 'end'}
                  className="ridge-label"
                >
                  ridge {fmtIntensity(ridge)} FLOP/B
                </text>
                {roomLeft ? (
                  <text x={cx - 4} y={ctx.bottom - 20} textAnchor="end" className="ridge-label">
                    ← memory-bound
                  </text>
                ) : null}
                {roomRight ? (
                  <text x={cx + 4} y={ctx.bottom - 20} className="ridge-label">
                    compute-bound →
                  </text>
                ) : null}
              </>
            ) : null}
            <path
              d={`M${cx},${cy - 6}L${cx + 6},${cy}L${cx},${cy + 6}L${cx - 6},${cy}Z`}
              fill={r.device ? 'var(--fg)' : r.colour}
              {...ctx.tip(lines, [cx, cy])}
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
            {...ctx.tip(lines, [cx, cy])}
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
            {...ctx.tip(lines, [cx, cy])}
          />
        );
      })}
      {!device ? (
        // At the bottom left, below the reference roofs whose labels sit at the top.
        <text x={ctx.left + 8} y={ctx.bottom - 8} className="roof-note">
          this device’s roofs are not measured yet
        </text>
      ) : null}
    </>
  );
}
