import { useMemo, useState } from 'react';
import { fmtBytes, fmtCount, fmtGBps, fmtGflops, fmtMs, fmtPct, fmtRatio } from '../../ui/format';
import { ChartFrame } from '../../ui/ChartFrame';
import { LabSections } from '../../ui/Section';
import { ResultsTable, type Column } from '../../ui/ResultsTable';
import { Roofline } from '../../charts/Roofline';
import { projectedMs, roofsOfProfile } from '../../sim/roofline/model';
import { findProfile, PROFILES } from '../../sim/roofline/profiles';
import type { LabViewProps } from '../../labkit/contract';
import type { meta } from './meta';
import type { MemoryWallResult, MemoryWallRow } from './run';
import { TrafficBars } from './TrafficBars';
import { memoryWallGuard } from './guard';
import { GuardNote } from '../../ui/GuardNote';
import './memory-wall.css';

function fmtError(e: number | null): string {
  if (e === null) return '—';
  if (!Number.isFinite(e)) return 'NaN/∞';
  return e === 0 ? '0' : e.toExponential(1);
}

export function MemoryWallView({ result, stale, device }: LabViewProps<typeof meta.schema, MemoryWallResult>) {
  const { points, ceilings } = device;
  const [profileId, setProfileId] = useState('h100-sxm');
  const [bf16, setBf16] = useState(false);
  const data = result.data;
  const profile = findProfile(profileId);

  const copyGBps = ceilings?.copy.gbPerS ?? null;
  const unfused = data?.rows.find((r) => r.key === 'unfused');
  const rows = data?.rows ?? [];
  const profileRoofs = profile ? roofsOfProfile(profile, 'fp32') : null;

  const columns = useMemo<Column<MemoryWallRow>[]>(
    () => [
      {
        key: 'kernel',
        label: 'Kernel',
        render: (r) => (r.pass ? `↳ ${r.label}` : <strong>{r.label}</strong>),
        value: (r) => r.label,
      },
      { key: 'time', label: 'Time', unit: 'median', render: (r) => fmtMs(r.medianMs), value: (r) => r.medianMs },
      {
        key: 'bw',
        label: 'Bandwidth',
        render: (r) => <span className="hbm">{fmtGBps(r.gbPerS)}</span>,
        value: (r) => r.gbPerS,
      },
      {
        key: 'copy',
        label: '% of copy',
        render: (r) => (copyGBps ? fmtPct(r.gbPerS / copyGBps, 0) : '—'),
        value: (r) => (copyGBps ? r.gbPerS / copyGBps : ''),
      },
      {
        key: 'gflops',
        label: 'Compute',
        render: (r) => <span className="compute">{fmtGflops(r.gflopPerS)}</span>,
        value: (r) => r.gflopPerS,
      },
      { key: 'bytes', label: 'Bytes moved', render: (r) => fmtBytes(r.bytesMoved), value: (r) => r.bytesMoved },
      {
        key: 'speedup',
        label: 'Speedup vs unfused',
        render: (r) => (unfused && !r.pass ? fmtRatio(unfused.medianMs / r.medianMs) : '—'),
        value: (r) => (unfused && !r.pass ? unfused.medianMs / r.medianMs : ''),
      },
      { key: 'err', label: 'Max abs error', render: (r) => fmtError(r.maxAbsError), value: (r) => r.maxAbsError ?? '' },
      {
        key: 'proj',
        label: profile ? `On ${profile.name.replace(/^NVIDIA (GeForce )?/, '')}` : 'Projected',
        unit: 'roofline bound',
        render: (r) => (profileRoofs ? fmtMs(projectedMs(r.flops, r.bytesMoved, profileRoofs)) : '—'),
        value: (r) => (profileRoofs ? projectedMs(r.flops, r.bytesMoved, profileRoofs) : ''),
      },
    ],
    [copyGBps, unfused, profile, profileRoofs],
  );

  const fusedVec4 = data?.rows.find((r) => r.key === 'fused_vec4');
  const fused = data?.rows.find((r) => r.key === 'fused');
  const best = fusedVec4 ?? fused;

  return (
    <LabSections
      picture={
        <>
          <ChartFrame
            title="Roofline: each run under this device’s roofs"
            name="memory-wall-roofline"
            actions={
              <span className="mw-roof-actions">
                <label>
                  <span className="mw-ref-word">Reference </span>
                  <select
                    value={profileId}
                    onChange={(e) => setProfileId(e.target.value)}
                    aria-label="Reference hardware profile"
                  >
                    <option value="none">none</option>
                    {PROFILES.map((p) => (
                      <option key={p.id} value={p.id} title={p.note}>
                        {p.name}
                      </option>
                    ))}
                  </select>
                </label>
                <label>
                  <input type="checkbox" checked={bf16} onChange={(e) => setBf16(e.target.checked)} /> BF16 roof
                </label>
              </span>
            }
          >
            <Roofline
              points={points}
              ceilings={ceilings}
              profileIds={profile ? [profile.id] : []}
              highlightLab="memory-wall"
              showProjections={Boolean(profile)}
              showBf16={bf16}
            />
          </ChartFrame>
          {result.status === 'running' && !data ? <p className="muted">Measuring… {result.progressText}</p> : null}
          <ChartFrame title="Why fusion wins: global-memory bytes per element" name="memory-wall-traffic">
            <TrafficBars />
          </ChartFrame>
        </>
      }
      results={
        <>
          {data ? (
            <div className="mw-summary" role="status">
              <span>
                Traffic ratio unfused/fused (cost model): <strong>{fmtRatio(data.trafficRatio)}</strong>
              </span>
              {unfused && best ? (
                <span>
                  Measured speedup of {best.label}: <strong>{fmtRatio(unfused.medianMs / best.medianMs)}</strong>
                </span>
              ) : null}
              {best && copyGBps ? (
                <span>
                  {best.label} at <strong>{fmtPct(best.gbPerS / copyGBps, 0)}</strong> of the copy kernel’s{' '}
                  {fmtGBps(copyGBps)}
                </span>
              ) : null}
            </div>
          ) : null}
          <GuardNote
            message={
              data && unfused && best
                ? memoryWallGuard({
                    unfusedMs: unfused.medianMs,
                    fusedMs: best.medianMs,
                    fusedLabel: best.label,
                    trafficRatio: data.trafficRatio,
                    n: data.n,
                    software: data.software,
                  })
                : null
            }
          />
          <ResultsTable
            caption={
              data
                ? `bias + GELU + residual over N = ${fmtCount(data.n)} floats (H = ${data.h}) on ${data.adapter}`
                : 'Results'
            }
            name="memory-wall"
            columns={columns}
            rows={rows}
            stale={stale}
            rowKey={(r) => r.key}
          />
          {!copyGBps ? (
            <p className="muted">
              “% of copy” appears once the device’s copy bandwidth has been measured (header badge or the Device lab).
            </p>
          ) : null}
          {copyGBps && rows.some((r) => r.gbPerS > copyGBps) ? (
            <p className="muted">
              Above 100 % of copy: the copy roof was measured separately, at another size and moment. A small N can sit
              in cache (faster than DRAM), and on a busy machine the load changes between runs. Re-measure in the Device
              lab with a buffer like this run’s for a fair yardstick.
            </p>
          ) : null}
          {data?.software ? (
            <p className="muted">
              This adapter is SwiftShader, a CPU pretending to be a GPU: the ratios between variants are a CPU’s, not a
              GPU’s. The byte counts and errors are the same everywhere.
            </p>
          ) : null}
        </>
      }
      explanation={
        <>
          <p>
            The chain here, bias add → GELU → residual add, is a synthetic epilogue made of a transformer MLP’s
            elementwise steps: in GPT-2 or BERT the bias and GELU follow the up-projection, and a second bias and the
            residual add follow the down-projection (LLaMA-style models have no biases and use SwiGLU). Each step does
            1–9 FLOPs per element but reads and writes 4-byte floats: its <strong>arithmetic intensity</strong> (FLOPs
            per byte the kernel requests from global memory) is about 0.1–1.1, far left of the{' '}
            <strong>ridge point</strong> where the slanted <span className="hbm">bandwidth roof</span> meets the flat{' '}
            <span className="compute">compute roof</span> (Williams, Waterman &amp; Patterson, “Roofline”, CACM 2009).
            Left of the ridge, time is bytes ÷ bandwidth: the <strong>memory wall</strong>.
          </p>
          <p>
            Run unfused, the chain writes an intermediate tensor twice (after the bias, after GELU) and reads it twice
            (in GELU, in the residual add): with x, the residual and the output, 28 bytes per element. Fused into one
            kernel, the intermediates stay in registers: 12 bytes per element, the same 11 FLOPs. The point moves right
            (higher intensity) and up (same work in less time); the best a memory-bound kernel can do is reach the
            bandwidth roof, which the copy kernel marks. The vec4 variant moves the same bytes with a quarter of the
            load and store instructions. Frameworks do the same: PyTorch’s <code>torch.compile</code> and XLA fuse such
            elementwise epilogues.
          </p>
          <p>
            GELU here is the tanh approximation (Hendrycks &amp; Gimpel 2016). Reference roofs are datasheet peaks, or
            peaks derived from published specifications where marked (
            {profile ? profile.source : 'NVIDIA, Apple and Intel specifications'}); the hollow squares show where each
            run would sit on that machine, and the table’s last column is its roofline bound max(bytes ÷ bandwidth,
            FLOPs ÷ peak). Hover a point for its numbers.
          </p>
          <p>
            The bytes on the x axis are those the kernels <em>request</em> from global memory (the cost model, which the
            instrumented kernels’ counters match exactly), not DRAM traffic: caches serve some requests (real DRAM
            traffic lower) and scattered 4-byte reads still fetch whole 32-byte sectors (higher). So a point can sit
            above the measured bandwidth roof when part of its bytes come from cache, for example at a small N or when
            the intermediate is still in L2.
          </p>
        </>
      }
    />
  );
}
