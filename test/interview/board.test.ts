import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/kernels/random';
import { addItem, mergeBoards, moveItem, removeItem, setNote, type NewItem } from '../../src/interview/board';
import { deflateSync, strToU8 } from 'fflate';
import {
  decodeBoard,
  encodeBoard,
  inflateAtMost,
  LINK_LIMIT,
  MAX_INFLATED,
  MAX_LINK_CHARS,
} from '../../src/interview/share';
import { BOARD_KEY, loadBoard, memoryStore, saveBoard, UNREADABLE_KEY } from '../../src/interview/storage';
import { emptyBoard, type Board } from '../../src/interview/types';
import { parseBoard, skipMessages } from '../../src/interview/validate';

const table: NewItem = {
  lab: 'kv-cache',
  labTitle: 'KV cache',
  params: { allocator: 'paged', blockSize: 16 },
  kind: 'table',
  title: 'Memory waste',
  adapter: null,
  source: 'simulated',
  table: {
    columns: ['allocator', 'waste (%)'],
    rows: [
      ['paged', 1.6],
      ['contiguous', 76.4],
    ],
  },
};
const chart: NewItem = {
  ...table,
  kind: 'chart',
  title: 'Roofline',
  source: 'measured',
  adapter: 'google/swiftshader',
  table: undefined,
  svg: '<svg viewBox="0 0 10 10"><rect width="5" height="5"/></svg>',
};

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
    const v1 = {
      version: 1,
      pins: [
        {
          id: 'a',
          lab: 'device',
          params: { copyMiB: 64 },
          title: 'Measured ceilings',
          adapter: 'nvidia/ampere',
          pinnedAt: '2026-10-01T10:00:00.000Z',
          table: { columns: ['kernel', 'GB/s'], rows: [['copy', 812]] },
        },
      ],
    };
    store.setItem(BOARD_KEY, JSON.stringify(v1));
    const { board, problems } = loadBoard(store);
    expect(problems).toEqual([]);
    expect(board.version).toBe(2);
    expect(board.items).toHaveLength(1);
    expect(board.items[0]).toMatchObject({
      id: 'a',
      lab: 'device',
      kind: 'table',
      source: 'measured',
      labTitle: 'device',
      adapter: 'nvidia/ampere',
    });
  });

  it('sets aside an unreadable board with a message instead of overwriting it, one key per board', () => {
    const store = memoryStore();
    const now = new Date('2026-12-01T10:00:00.000Z');
    store.setItem(BOARD_KEY, '{"version": 2, "items": [');
    const { board, problems, unreadable } = loadBoard(store, now);
    expect(board.items).toEqual([]);
    expect(unreadable).toBeNull();
    expect(problems[0]).toMatch(/not valid JSON.*kept unchanged under/);
    expect(store.getItem(`${UNREADABLE_KEY}:2026-12-01T10:00:00.000Z`)).toBe('{"version": 2, "items": [');
    // Moved, not copied on every load: a reload finds an empty board and no new copy.
    expect(store.getItem(BOARD_KEY)).toBeNull();
    expect(loadBoard(store, now)).toEqual({ board: emptyBoard(), problems: [], unreadable: null });
    expect(store.data.size).toBe(1);
    // A second unreadable board at the same moment does not replace the first copy.
    store.setItem(BOARD_KEY, 'garbage');
    loadBoard(store, now);
    expect(store.getItem(`${UNREADABLE_KEY}:2026-12-01T10:00:00.000Z`)).toBe('{"version": 2, "items": [');
    expect(store.getItem(`${UNREADABLE_KEY}:2026-12-01T10:00:00.000Z-2`)).toBe('garbage');
  });

  it('names an unknown version and drops malformed items by name', () => {
    expect(parseBoard({ version: 9, items: [] })).toEqual({ ok: false, message: expect.stringMatching(/version 9/) });
    const good = boardOf(table).items[0];
    const r = parseBoard({
      version: 2,
      items: [good, { ...good, id: 'x', lab: '../evil' }, { ...good, id: 'y', source: 'guessed' }, good],
    });
    expect(r.ok && r.board.items).toEqual([good]);
    expect(r.ok && r.skipped).toEqual([
      { id: 'x', reason: 'names no valid lab (kept in storage, unchanged)' },
      { id: 'y', reason: 'does not say where its numbers come from (kept in storage, unchanged)' },
      { id: good.id, reason: 'appears twice' },
    ]);
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
    const m = mergeBoards(removeItem(b, a.id), b);
    expect(m.board.items.map((i) => i.id)).toEqual([c.id, a.id]);
    expect(m.board.items.map((i) => i.fromLink)).toEqual([undefined, true]);
    expect([m.added.map((i) => i.id), m.already, m.refused]).toEqual([[a.id], 1, []]);
  });
});

describe('share links', () => {
  it('round-trips a board through the URL fragment', () => {
    const b = boardOf(table, chart);
    const { fragment, chartsDropped } = encodeBoard(b);
    expect(chartsDropped).toBe(false);
    expect(fragment).toMatch(/^board=[A-Za-z0-9_-]+$/);
    expect(decodeBoard(`#${fragment}`)).toEqual({ ok: true, board: b, skipped: [] });
  });

  it('leaves charts out of an oversize link and keeps their tables', () => {
    // Incompressible SVG text, so the deflated link really exceeds the limit.
    const rand = mulberry32(7);
    const noise = Array.from({ length: LINK_LIMIT }, () => String.fromCharCode(97 + Math.floor(rand() * 26))).join('');
    const big = boardOf(
      table,
      { ...chart, svg: `<svg><desc>${noise}</desc></svg>` },
      { ...chart, table: table.table, svg: `<svg><desc>${noise}</desc></svg>` },
    );
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

// Issue 24, items 2, 5 and 7: each of these lost an item, froze the page or spoke in code on the
// code before it; they pin the fixed behaviour.
describe('storage never loses an item', () => {
  it('a corrupt board larger than half the quota stays where it is until the user chooses', async () => {
    const { createBoardStore } = await import('../../src/app/interview/boardStore');
    const corrupt = `{"version":2,"items":[${'x'.repeat(6000)}`;
    const store = memoryStore(10_000);
    store.setItem(BOARD_KEY, corrupt);
    const st = createBoardStore(store);
    expect(st.getState().unreadable).toBe(corrupt);
    expect(st.getState().loadProblems[0]).toMatch(
      /no room to keep a copy of it \(6 KiB\).*nothing will be saved over it until you choose/,
    );
    st.getState().pin(table);
    expect(st.getState().board.items).toHaveLength(1);
    expect(st.getState().saveError).toMatch(/Not saved yet: the unreadable board is still stored/);
    expect(store.getItem(BOARD_KEY)).toBe(corrupt);
    // The user discards it: only now is the board saved over it.
    st.getState().discardUnreadable();
    expect(st.getState().saveError).toBeNull();
    expect(loadBoard(store).board.items.map((i) => i.title)).toEqual([table.title]);
  });

  it('keeps items it cannot read verbatim and writes them back on every save', () => {
    const store = memoryStore();
    const known = boardOf(table).items[0];
    const future = {
      id: 'f1',
      lab: 'kv-cache',
      kind: 'video',
      title: 'A kind from a later version',
      params: {},
      frames: [1, 2, 3],
    };
    const broken = { id: 'b1', lab: 'Not A Lab!', params: {}, title: 'x' };
    // JSON.parse makes "__proto__" an own key: kept as data, never a prototype.
    const stored = JSON.parse(
      JSON.stringify({ version: 2, items: [known, future, broken] }).replace(
        '"frames"',
        '"__proto__":{"polluted":true},"frames"',
      ),
    );
    store.setItem(BOARD_KEY, JSON.stringify(stored));
    const loaded = loadBoard(store);
    expect(loaded.board.items).toEqual([known]);
    expect(loaded.problems).toEqual([
      '1 item skipped: it is of a kind this version does not know (neither a table nor a chart) (kept in storage, unchanged) ("f1").',
      '1 item skipped: it names no valid lab (kept in storage, unchanged) ("b1").',
    ]);
    // An edit and a save later, both are still stored, unchanged, after the readable items.
    const edited = setNote(loaded.board, known.id, 'mine');
    expect(saveBoard(store, edited).ok).toBe(true);
    const back = JSON.parse(store.getItem(BOARD_KEY)!);
    expect(JSON.stringify(back.items.slice(1))).toBe(JSON.stringify(stored.items.slice(1)));
    expect(JSON.stringify(back.items[1])).toContain('"__proto__":{"polluted":true}');
    expect(back.items[0].note).toBe('mine');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses an add past the 500 cap, names what would not fit, and adds the chosen ones', () => {
    const local = boardOf(...Array.from({ length: 498 }, (_, i) => ({ ...table, title: `mine ${i}` })));
    const shared = boardOf(...Array.from({ length: 5 }, (_, i) => ({ ...table, title: `shared ${i}` })));
    shared.items = shared.items.map((it, i) => ({ ...it, id: `s${i}` }));
    const m = mergeBoards(local, shared);
    expect(m.board).toBe(local);
    expect(m.added).toEqual([]);
    expect(m.fits.map((i) => i.title)).toEqual(['shared 0', 'shared 1']);
    expect(m.refused.map((i) => i.title)).toEqual(['shared 2', 'shared 3', 'shared 4']);
    const chosen = mergeBoards(local, shared, new Set(['s1', 's4']));
    expect(chosen.board.items.slice(498).map((i) => i.title)).toEqual(['shared 1', 'shared 4']);
    expect(chosen.refused).toEqual([]);
  });
});

describe('share links are checked before any work', () => {
  const link = (json: unknown) =>
    `#board=${Buffer.from(deflateSync(strToU8(typeof json === 'string' ? json : JSON.stringify(json)))).toString('base64url')}`;

  it('refuses a compression bomb by its inflated size, without inflating it all', () => {
    const bomb = `#board=${Buffer.from(deflateSync(new Uint8Array(12 * 2 ** 20).fill(32))).toString('base64url')}`;
    expect(bomb.length).toBeLessThan(100_000);
    expect(decodeBoard(bomb)).toEqual({
      ok: false,
      message: expect.stringMatching(/unpacks to more than 8 MiB.*not opened.*your own board is unchanged/),
    });
    expect(() => inflateAtMost(deflateSync(new Uint8Array(9 * 2 ** 20)), MAX_INFLATED)).toThrow();
    expect(inflateAtMost(deflateSync(strToU8('{"a":1}')), MAX_INFLATED)).toEqual(strToU8('{"a":1}'));
  });

  it('refuses an over-long fragment by its length', () => {
    const huge = `#board=${'A'.repeat(MAX_LINK_CHARS + 1)}`;
    expect(decodeBoard(huge)).toEqual({
      ok: false,
      message: expect.stringMatching(/too long to be a shared board \(1,000,001 characters; at most 1,000,000\)/),
    });
  });

  it('says what is wrong with a bad link in the user’s words', () => {
    expect(decodeBoard(link([1, 2]))).toEqual({
      ok: false,
      message:
        'This link does not hold an evidence board we can read (it is not a board at all). Nothing was loaded; your own board is unchanged.',
    });
    expect(decodeBoard('#board=AAAA')).toEqual({
      ok: false,
      message: expect.stringMatching(/damaged \(part of it is missing or changed\)/),
    });
  });

  it('groups 10,000 bad items into one line per reason', () => {
    const good = boardOf(table).items[0];
    const bad = Array.from({ length: 10_000 }, (_, i) => ({ ...good, id: `bad${i}`, lab: 'NOPE' }));
    const parsed = decodeBoard(link({ version: 2, items: bad }));
    expect(parsed?.ok).toBe(true);
    if (!parsed?.ok) return;
    expect(parsed.board.items).toEqual([]);
    expect(parsed.board.unread).toBeUndefined(); // a link's bad items are not kept anywhere
    expect(skipMessages(parsed.skipped)).toEqual([
      '500 items skipped: each names no valid lab ("bad0", "bad1", "bad2" and 497 more).',
      '9,500 items skipped: each is beyond the 500 items a board shows.',
    ]);
  });
});
