import { fmtBytes, fmtRatio } from '../../ui/format';
import { ResultsTable, type Column } from '../../ui/ResultsTable';
import type { CaseReport } from './check/report';

function verdict(c: CaseReport): string {
  if (c.guardTrips) return 'stopped (loop guard)';
  if (c.oob) return `out of bounds: ${c.oob.binding}[${c.oob.index}]`;
  return c.pass ? 'pass' : `${c.mismatches} of ${c.elements} wrong`;
}

function worst(c: CaseReport): string {
  if (!c.worst) return '—';
  const w = c.worst;
  const got = w.notWritten
    ? 'not written'
    : Number.isFinite(Number(w.got))
      ? String(Number(Number(w.got).toPrecision(6)))
      : w.got;
  return `[${w.index}] (${w.coords.join(', ')}): expected ${Number(w.expected.toPrecision(6))}, got ${got}`;
}

const columns: Column<CaseReport>[] = [
  { key: 'case', label: 'Case', render: (c) => c.label },
  {
    key: 'result',
    label: 'Result',
    render: (c) => <span className={c.pass ? 'wb-pass' : 'wb-fail'}>{verdict(c)}</span>,
    value: verdict,
  },
  { key: 'worst', label: 'Worst mismatch', render: worst },
  {
    key: 'traffic',
    label: 'Traffic',
    render: (c) => <span className="hbm">{fmtBytes(c.bytesRead + c.bytesWritten)}</span>,
    value: (c) => c.bytesRead + c.bytesWritten,
  },
  {
    key: 'target',
    label: 'Target',
    render: (c) => fmtBytes(c.targetRead + c.targetWritten),
    value: (c) => c.targetRead + c.targetWritten,
  },
  {
    key: 'ratio',
    label: 'vs target',
    render: (c) => fmtRatio((c.bytesRead + c.bytesWritten) / Math.max(1, c.targetRead + c.targetWritten)),
    value: (c) => (c.bytesRead + c.bytesWritten) / Math.max(1, c.targetRead + c.targetWritten),
  },
  {
    key: 'naive',
    label: 'Starter',
    render: (c) => (c.naiveBytes === null ? '—' : fmtBytes(c.naiveBytes)),
    value: (c) => c.naiveBytes ?? '',
  },
];

/** One row per hidden case: the verdict, the worst element, and the bytes the kernel moved. */
export function CasesTable({ cases, stale }: { cases: CaseReport[]; stale: boolean }) {
  return (
    <ResultsTable
      caption="Hidden test cases"
      name="workbench-cases"
      columns={columns}
      rows={cases}
      stale={stale}
      rowKey={(c) => c.label}
    />
  );
}
