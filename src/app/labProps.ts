import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { DeviceContext, LabActions, LabResult, LabViewProps } from '../labkit/contract';
import type { LabEntry } from '../labs/registry';
import { useApp } from '../store';
import { getRuntime } from './gpuService';
import { cancelJob, runJob } from './jobRunner';
import { applyParams, syncUrl, useIsStale, useLabParams, useLabResult } from './labState';
import { cancelLab, runLab } from './labRunner';

const NO_JOBS: Record<string, LabResult> = {};

/** The actions a view may take: the same paths the shell's own controls use. */
export function labActions(entry: LabEntry): LabActions {
  return {
    run: () => void runLab(entry),
    cancel: () => cancelLab(entry.id),
    setParams: (patch) => {
      applyParams(entry, patch, { keepNotices: true });
      syncUrl(entry);
    },
    runJob: (name, job, opts) => void runJob(entry, name, job, opts),
    cancelJob: (name) => cancelJob(entry.id, name),
    // Destroying the device is what a driver reset does; the runtime then acquires a new one.
    loseDevice: () => void getRuntime().then((rt) => rt?.device.destroy()),
  };
}

/** Everything a lab's view gets from the shell (LabViewProps), from the store. */
export function useLabViewProps(entry: LabEntry, variant: 'page' | 'embed'): LabViewProps {
  const params = useLabParams(entry.id);
  const result = useLabResult(entry.id);
  const stale = useIsStale(entry.id, entry.schema);
  const jobs = useApp((s) => s.jobs[entry.id]) ?? NO_JOBS;
  const device: DeviceContext = useApp(
    useShallow((s) => ({ status: s.gpuStatus, info: s.gpuInfo, ceilings: s.ceilings, points: s.points })),
  );
  const actions = useMemo(() => labActions(entry), [entry]);
  const cost = useApp((s) => s.measuredModel);
  const forget = useApp((s) => s.forgetMeasuredModel);
  const measuredModel = useMemo(() => ({ cost, forget }), [cost, forget]);
  return { meta: entry, params, result, stale, jobs, device, variant, actions, measuredModel };
}
