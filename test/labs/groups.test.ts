import { renderToStaticMarkup } from 'react-dom/server';
import { createElement } from 'react';
import { describe, expect, it } from 'vitest';
import { changedKeys, groupProblems, keyGroup, KEY_GROUP_MAX, sidebarSections } from '../../src/labkit/groups';
import type { ParamGroups, ParamSpec } from '../../src/labkit/schema';
import { LABS } from '../../src/labs/registry';
import { ParamSections } from '../../src/ui/ParamSections';

const num = (key: string, group?: string, placement?: 'view'): ParamSpec => ({
  key,
  group,
  placement,
  kind: 'int',
  label: key.toUpperCase(),
  default: 1,
  min: 0,
  max: 9,
  help: '',
});

const groups: ParamGroups = {
  extra: { title: 'Extra', collapsed: true },
  main: { title: 'Main', key: true },
  panel: { title: 'Panel', placement: 'panel' },
};
const schema = [num('a', 'extra'), num('b', 'main'), num('c', 'panel', 'view'), num('d', 'nope'), num('e')];

describe('parameter groups', () => {
  it('draws the key group first, then the declared sidebar groups, then the ungrouped; panels stay in the view', () => {
    const s = sidebarSections({ schema, groups });
    expect(s.map((x) => [x.id, x.specs.map((p) => p.key)])).toEqual([
      ['main', ['b']],
      ['extra', ['a']],
      // An unknown group name or none: still drawn, never lost.
      ['', ['d', 'e']],
    ]);
    expect(keyGroup({ schema, groups })?.specs.map((p) => p.key)).toEqual(['b']);
    expect(sidebarSections({ schema: [num('x')] }).map((x) => x.id)).toEqual(['']);
  });

  it('names every inconsistency of a meta', () => {
    expect(groupProblems({ schema, groups })).toEqual([
      'parameter "d" names group "nope", which meta.groups does not declare',
      'parameter "e" names no group',
    ]);
    const six = Array.from({ length: KEY_GROUP_MAX + 1 }, (_, i) => num(`k${i}`, 'main'));
    expect(
      groupProblems({
        schema: [...six, num('v', 'main', 'view')],
        groups: { main: { title: 'M', key: true, collapsed: true }, empty: { title: 'E', key: true } },
      }),
    ).toEqual([
      'exactly one group is the key group (key: true); found 2',
      'key group "main" cannot be collapsed',
      `key group "main" holds 7 parameters; at most ${KEY_GROUP_MAX}`,
      'group "empty" holds no parameter',
      `parameter "v": a panel group holds exactly the parameters with placement 'view' (group "main")`,
    ]);
  });

  it('every lab groups every control soundly, with at most five key controls', () => {
    for (const lab of LABS) {
      expect(lab.groups, `${lab.id}: meta.groups`).toBeTruthy();
      expect(groupProblems(lab), lab.id).toEqual([]);
      const key = keyGroup(lab)!;
      expect(key.specs.length, lab.id).toBeGreaterThan(0);
      expect(key.specs.length, lab.id).toBeLessThanOrEqual(KEY_GROUP_MAX);
    }
  });

  it('gives every lab its own order', () => {
    const orders = LABS.map((l) => l.order);
    const dupes = LABS.filter((l, i) => orders.indexOf(l.order) !== i).map((l) => `${l.id} (${l.order})`);
    expect(dupes).toEqual([]);
  });

  it('a collapsed group starts closed unless it holds a changed or invalid value, and says what it hides', () => {
    const meta = { schema, groups };
    const draw = (values: Record<string, number>, notices: [string, string][] = []) =>
      renderToStaticMarkup(
        createElement(ParamSections, {
          meta,
          values,
          notices: new Map(notices.map(([key, message]) => [key, { key, message }])),
          onChange: () => {},
        }),
      );
    const closed = draw({ a: 1, b: 1 });
    expect(closed).toMatch(/data-group="main".*?aria-expanded="true"/);
    expect(closed).toMatch(/data-group="extra".*?aria-expanded="false".*?hidden=""/);
    expect(changedKeys(schema, { a: 3, b: 1 })).toEqual(['a']);
    expect(draw({ a: 3, b: 1 })).toMatch(/data-group="extra".*?aria-expanded="true"/);
    expect(draw({ a: 1, b: 1 }, [['a', 'A: "x" is not a number']])).toMatch(
      /data-group="extra".*?aria-expanded="true"/,
    );
    // The panel group is not in the sidebar.
    expect(closed).not.toContain('data-group="panel"');
  });
});
