import type { ParamGroup, ParamGroups, ParamSpec, ParamValue } from './schema';

/**
 * Parameter groups as pure functions over a meta's `schema` and `groups`: which controls the
 * sidebar draws in which titled section, which a panel draws, and what makes a lab's groups
 * inconsistent (checked for every lab by test/labs/groups.test.ts).
 */

/** The key group shows a lab's most important controls on the first screen: a handful, not a list. */
export const KEY_GROUP_MAX = 5;

interface Grouped {
  schema: readonly ParamSpec[];
  groups?: ParamGroups;
}

/** One sidebar section: a declared group, or (id '', group null) the controls that name none. */
export interface ParamSection {
  id: string;
  group: ParamGroup | null;
  specs: ParamSpec[];
}

const inSidebar = (g: ParamGroup | undefined) => (g?.placement ?? 'sidebar') === 'sidebar';

/**
 * The sidebar's sections in drawing order: the key group, the other sidebar groups as declared,
 * then the controls without a (known) group, so a control is never lost to a typo in its group.
 * View-placed controls and panel groups are left to the view. Empty sections are dropped.
 */
export function sidebarSections({ schema, groups = {} }: Grouped): ParamSection[] {
  const shown = schema.filter((s) => s.placement !== 'view');
  const ids = Object.keys(groups).filter((id) => inSidebar(groups[id]));
  ids.sort((a, b) => Number(Boolean(groups[b].key)) - Number(Boolean(groups[a].key)));
  const sections: ParamSection[] = ids.map((id) => ({
    id,
    group: groups[id],
    specs: shown.filter((s) => s.group === id),
  }));
  const known = new Set(ids);
  sections.push({ id: '', group: null, specs: shown.filter((s) => !s.group || !known.has(s.group)) });
  return sections.filter((s) => s.specs.length > 0);
}

/** The controls of one group, in schema order (what a panel draws for its group). */
export function groupSpecs({ schema }: Grouped, id: string): ParamSpec[] {
  return schema.filter((s) => s.group === id);
}

/** The lab's key group and its controls, or null when it declares none. */
export function keyGroup(meta: Grouped): ParamSection | null {
  const id = Object.keys(meta.groups ?? {}).find((g) => meta.groups![g].key);
  return id === undefined ? null : { id, group: meta.groups![id], specs: groupSpecs(meta, id) };
}

/** Keys in a section whose value differs from its default: a closed section must not hide them. */
export function changedKeys(specs: readonly ParamSpec[], values: Readonly<Record<string, ParamValue>>): string[] {
  return specs.filter((s) => s.key in values && values[s.key] !== s.default).map((s) => s.key);
}

/** What is inconsistent in a lab's groups, one sentence each naming the fix; empty when sound. */
export function groupProblems({ schema, groups }: Grouped): string[] {
  if (!groups) return [];
  const problems: string[] = [];
  const ids = Object.keys(groups);
  const keys = ids.filter((id) => groups[id].key);
  if (keys.length !== 1) problems.push(`exactly one group is the key group (key: true); found ${keys.length}`);
  for (const id of ids) {
    const g = groups[id];
    const specs = schema.filter((s) => s.group === id);
    if (!specs.length) problems.push(`group "${id}" holds no parameter`);
    if (g.key && g.placement === 'panel') problems.push(`key group "${id}" must be in the sidebar, not a panel`);
    if (g.key && g.collapsed) problems.push(`key group "${id}" cannot be collapsed`);
    if (g.key && specs.length > KEY_GROUP_MAX)
      problems.push(`key group "${id}" holds ${specs.length} parameters; at most ${KEY_GROUP_MAX}`);
  }
  for (const s of schema) {
    const g = s.group === undefined ? undefined : groups[s.group];
    if (!s.group) problems.push(`parameter "${s.key}" names no group`);
    else if (!g) problems.push(`parameter "${s.key}" names group "${s.group}", which meta.groups does not declare`);
    else if ((g.placement === 'panel') !== (s.placement === 'view'))
      problems.push(
        `parameter "${s.key}": a panel group holds exactly the parameters with placement 'view' (group "${s.group}")`,
      );
  }
  return problems;
}
