import { useCallback } from 'react';
import type { LabViewProps } from '../../labkit/contract';
import type { EvidenceSource } from '../../interview/types';
import type { PinFn, PinRequest } from '../../ui/pin';
import { appStore } from '../../store';
import { boardStore } from './boardStore';

/**
 * The pin function the shell gives a lab's tables and charts: it adds what they show, with the lab,
 * its full parameters, the adapter and where the numbers come from, to the evidence board.
 */
export function usePinForLab(props: LabViewProps): PinFn {
  const { meta, params, result, device } = props;
  return useCallback(
    (req: PinRequest) => {
      const replay = result.replay;
      // Only labs that need the GPU measure by default; labs with a simulated core say which of
      // their tables are measured (req.source), so nothing simulated is ever shown as measured.
      const source: EvidenceSource = replay
        ? 'replayed'
        : (req.source ?? (meta.gpu === 'required' && device.info ? 'measured' : 'simulated'));
      const adapter = replay ? replay.adapter : source === 'measured' ? (device.info?.name ?? null) : null;
      boardStore.getState().pin({
        lab: meta.id,
        labTitle: meta.title,
        params: { ...(params as Record<string, number | string | boolean>) },
        kind: req.kind,
        title: req.title,
        adapter,
        source,
        ...(req.table ? { table: req.table } : {}),
        ...(req.svg ? { svg: req.svg } : {}),
      });
      const { saveError, board } = boardStore.getState();
      appStore
        .getState()
        .toast(
          saveError ? 'error' : 'info',
          saveError ??
            `Pinned “${req.title}” to the evidence board (${board.items.length} item${board.items.length === 1 ? '' : 's'}).`,
        );
    },
    [meta, params, result.replay, device.info],
  );
}
