import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/kernels/random';
import { addItem, mergeBoards, moveItem, removeItem, setNote, type NewItem } from '../../src/interview/board';
import { decodeBoard, encodeBoard, LINK_LIMIT } from '../../src/interview/share';
import { BOARD_KEY, loadBoard, memoryStore, saveBoard } from '../../src/interview/storage';
import { emptyBoard, type Board } from '../../src/interview/types';
import { parseBoard } from '../../src/interview/validate';

const table: NewItem = {
  lab: 'kv-cache',
  labTitle: 'KV cache',
  params: { allocator: 'paged', blockSize: 16 },
  kind: 'table',
  title: 'Memory waste',
  adapter: null,
  source: 'simulated',
  table: { columns: ['allocator', 'waste (%)'], rows: [['paged', 1.6], ['contiguous', 76.4]] },
};
const chart: NewItem = { ...table, kind: 'chart', title: 'Roofline', source: 'measured', adapter: 'google/swiftshader', table: undefined, svg: '<svg viewBox="0 0 10 10"><rect width="5" height="5"/></svg>' };

function boardOf(...items: NewItem[]): Board {
  let b = emptyBoard();
  items.forEach((it, i) => {
    const r = addItem(b, it, 1_700_000_000_000 + i);
    if ('error' in r) throw new Error(r.error);
    b = r.board;
  });
  return b;
}

describe('evidence board storage', () => {
  it('round-trips a board through storage unchanged', () => {
    const store = memoryStore();
    const b = boardOf(table, chart);
    expect(saveBoard(store, b).ok).toBe(true);
    const loaded = loadBoard(store);
    expect(loaded.problems).toEqual([]);
    expect(loaded.board).toEqual(b);
  });

  it('migrates a version 1 board (pins without source or kind: measured tables)', () => {
    const store = memoryStore();
    const v1 = { version: 1, pins: [{ id: 'a', lab: 'device', params: { copyMiB: 64 }, title: 'Measured ceilings', adapter: 'nvidia/ampere', pinnedAt: '2026-10-01T10:00:00.000Z', table: { columns: ['kernel', 'GB/s'], rows: [['copy', 812]] } }] };
    store.setItem(BOARD_KEY, JSON.stringify(v1));
    const { board, problems } = loadBoard(store);
    expect(problems).toEqual([]);
    expect(board.version).toBe(2);
    expect(board.items).toHaveLength(1);
    expect(board.items[0]).toMatchObject({ id: 'a', lab: 'device', kind: 'table', source: 'measured', labTitle: 'device', adapter: 'nvidia/ampere' });
  });

  it('sets aside an unreadable board with a message instead of overwriting it', () => {
    const store = memoryStore();
    store.setItem(BOARD_KEY, '{"version": 2, "items": [');
    const { board, problems } = loadBoard(store);
    expect(board.items).toEqual([]);
    expect(problems[0]).toMatch(/not valid JSON/);
    expect(store.getItem(`${BOARD_KEY}:unreadable`)).toBe('{"version": 2, "items": [');
  });

  it('names an unknown version and drops malformed items by name', () => {
    expect(parseBoard({ version: 9, items: [] })).toEqual({ ok: false, message: expect.stringMatching(/version 9/) });
    const good = boardOf(table).items[0];
    const r = parseBoard({ version: 2, items: [good, { ...good, id: 'x', lab: '../evil' }, { ...good, id: 'y', source: 'guessed' }, good] });
    expect(r.ok && r.board.items).toEqual([good]);
    expect(r.ok && r.dropped).toEqual(['item x names no valid lab', 'item y does not say where its numbers come from', `item ${good.id} appears twice`]);
  });

  it('reports a full quota and keeps the board in memory', () => {
    const store = memoryStore(200);
    const b = boardOf(table, chart);
    const saved = saveBoard(store, b);
    expect(saved.ok).toBe(false);
    expect(!saved.ok && saved.message).toMatch(/storage is full.*nothing on screen was lost/);
    expect(b.items).toHaveLength(2);
  });
});

describe('board edits', () => {
  it('adds, moves, annotates, removes and merges without doubling', () => {
    const b = boardOf(table, chart);
    const [a, c] = b.items;
    expect(moveItem(b, c.id, -1).items.map((i) => i.id)).toEqual([c.id, a.id]);
    expect(moveItem(b, c.id, +5).items.map((i) => i.id)).toEqual([a.id, c.id]);
    expect(setNote(b, a.id, 'paged wastes under 4%').items[0].note).toBe('paged wastes under 4%');
    expect(removeItem(b, a.id).items.map((i) => i.id)).toEqual([c.id]);
    expect(mergeBoards(removeItem(b, a.id), b).items.map((i) => i.id)).toEqual([c.id, a.id]);
  });
});

describe('share links', () => {
  it('round-trips a board through the URL fragment', () => {
    const b = boardOf(table, chart);
    const { fragment, chartsDropped } = encodeBoard(b);
    expect(chartsDropped).toBe(false);
    expect(fragment).toMatch(/^board=[A-Za-z0-9_-]+$/);
    expect(decodeBoard(`#${fragment}`)).toEqual({ ok: true, board: b, dropped: [] });
  });

  it('leaves charts out of an oversize link and keeps their tables', () => {
    // Incompressible SVG text, so the deflated link really exceeds the limit.
    const rand = mulberry32(7);
    const noise = Array.from({ length: LINK_LIMIT }, () => String.fromCharCode(97 + Math.floor(rand() * 26))).join('');
    const big = boardOf(table, { ...chart, svg: `<svg><desc>${noise}</desc></svg>` }, { ...chart, table: table.table, svg: `<svg><desc>${noise}</desc></svg>` });
    const enc = encodeBoard(big);
    expect(enc.chartsDropped).toBe(true);
    expect(enc.fragment.length).toBeLessThanOrEqual(LINK_LIMIT);
    const back = decodeBoard(enc.fragment);
    expect(back?.ok && back.board.items.map((i) => [i.kind, Boolean(i.svg)])).toEqual([
      ['table', false],
      ['table', false],
    ]);
  });

  it('gives a message for a damaged link and nothing for a link without a board', () => {
    expect(decodeBoard('#board=AAAA')).toEqual({ ok: false, message: expect.stringMatching(/damaged/) });
    expect(decodeBoard('#step=2')).toBeNull();
  });
});
