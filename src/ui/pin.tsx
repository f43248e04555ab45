import { createContext, useContext } from 'react';

/**
 * Pinning evidence (interview mode): any results table or chart a lab shows can be pinned to the
 * evidence board. The shell provides `pin` for the lab on screen (it knows the lab, its parameters,
 * the adapter and whether the numbers are measured, simulated or replayed); the table or chart
 * only says what it shows. Without a provider (tests, a bare embed) no Pin button appears.
 */
export interface PinRequest {
  kind: 'table' | 'chart';
  title: string;
  table?: { columns: string[]; rows: (string | number)[][] };
  /** Standalone SVG text with styles inlined (ui/export.ts svgText). */
  svg?: string;
  /**
   * Where the numbers come from, when the lab knows better than the shell (a lab with a simulated
   * and a measured part); by default the shell decides from the lab's GPU need and the result.
   */
  source?: 'measured' | 'simulated';
}

export type PinFn = (req: PinRequest) => void;

export const PinContext = createContext<PinFn | null>(null);

export function usePin(): PinFn | null {
  return useContext(PinContext);
}
