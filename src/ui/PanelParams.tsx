import type { ParamSpec, ParamValue } from '../labkit/schema';
import { ParamControl } from './ParamControl';

/**
 * A lab's own controls for one panel: the schema parameters it places in its view (placement
 * 'view'), drawn as the sidebar draws its controls. They are URL state like every parameter, but
 * they stay next to the panel they drive, and changing one does not mark the lab's main run stale.
 */
export function PanelParams({
  schema,
  keys,
  params,
  onChange,
  label,
}: {
  schema: readonly ParamSpec[];
  keys: readonly string[];
  params: Readonly<Record<string, ParamValue>>;
  onChange(key: string, raw: unknown): void;
  /** Accessible name of the group, e.g. "Planner settings". */
  label: string;
}) {
  const specs = keys.map((k) => {
    const spec = schema.find((s) => s.key === k);
    if (!spec) throw new Error(`PanelParams: no parameter "${k}" in this lab's schema`);
    return spec;
  });
  return (
    <fieldset className="panel-params" aria-label={label}>
      {specs.map((spec) => (
        <ParamControl key={spec.key} spec={spec} value={params[spec.key] ?? spec.default} onChange={(raw) => onChange(spec.key, raw)} />
      ))}
    </fieldset>
  );
}
