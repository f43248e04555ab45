import { groupSpecs } from '../labkit/groups';
import type { ParamGroups, ParamSpec, ParamValue } from '../labkit/schema';
import { ParamControl } from './ParamControl';

/**
 * A lab's own controls for one panel: the parameters of one of its groups placed in a panel
 * (meta.groups[group].placement 'panel'; the parameters are placement 'view'), drawn as the
 * sidebar draws its controls. They are URL state like every parameter, but they stay next to the
 * panel they drive, and changing one does not mark the lab's main run stale.
 */
export function PanelParams({
  meta,
  group,
  params,
  onChange,
}: {
  meta: { schema: readonly ParamSpec[]; groups?: ParamGroups };
  /** The group's id in meta.groups; its title is the accessible name of the controls. */
  group: string;
  params: Readonly<Record<string, ParamValue>>;
  onChange(key: string, raw: unknown): void;
}) {
  const g = meta.groups?.[group];
  if (!g) throw new Error(`PanelParams: no group "${group}" in this lab's meta.groups`);
  return (
    <fieldset className="panel-params" aria-label={g.title} data-group={group}>
      {groupSpecs(meta, group).map((spec) => (
        <ParamControl
          key={spec.key}
          spec={spec}
          value={params[spec.key] ?? spec.default}
          onChange={(raw) => onChange(spec.key, raw)}
        />
      ))}
    </fieldset>
  );
}
