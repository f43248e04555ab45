/**
 * The head dimension of each choice of the `d` control. The control is an enum (three sizes the
 * tiled kernel is compiled for), so its typed value is the text '32' | '64' | '128'; this table is
 * the one place it becomes a number. Pure: meta.ts imports it.
 */
export const HEAD_DIM = { '32': 32, '64': 64, '128': 128 } as const;

export type HeadDimChoice = keyof typeof HEAD_DIM;

/** Query rows per invocation of the tiled kernel, from the `rows` control's text value. */
export const ROWS_PER_INVOCATION = { '1': 1, '2': 2 } as const;
