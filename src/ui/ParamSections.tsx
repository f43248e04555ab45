import { useId, useState } from 'react';
import { changedKeys, sidebarSections, type ParamSection } from '../labkit/groups';
import type { ParamGroups, ParamNotice, ParamSpec, ParamValue } from '../labkit/schema';
import { ParamControl } from './ParamControl';

interface Props {
  meta: { schema: readonly ParamSpec[]; groups?: ParamGroups };
  values: Readonly<Record<string, ParamValue>>;
  notices: ReadonlyMap<string, ParamNotice>;
  onChange(key: string, raw: unknown): void;
}

/**
 * The sidebar's controls in the lab's groups (src/labkit/groups.ts): the key group first, then
 * titled sections that open and close with a button (Enter or Space), the collapsed ones closed
 * at first. A closed section never hides a value silently: one holding a changed or invalid value
 * starts open, a value changed or made invalid from outside opens it, and a closed one's title
 * counts what it holds that is changed or needs fixing.
 */
export function ParamSections({ meta, values, notices, onChange }: Props) {
  const sections = sidebarSections(meta);
  return (
    <>
      {sections.map((section) =>
        section.group ? (
          <GroupSection key={section.id} section={section} values={values} notices={notices} onChange={onChange} />
        ) : (
          <div key="" className="param-group param-group-rest">
            <Controls specs={section.specs} values={values} notices={notices} onChange={onChange} />
          </div>
        ),
      )}
    </>
  );
}

function Controls({ specs, values, notices, onChange }: { specs: readonly ParamSpec[] } & Omit<Props, 'meta'>) {
  return specs.map((spec) => (
    <ParamControl
      key={spec.key}
      spec={spec}
      value={values[spec.key] ?? spec.default}
      notice={notices.get(spec.key)}
      onChange={(raw) => onChange(spec.key, raw)}
    />
  ));
}

function GroupSection({ section, values, notices, onChange }: { section: ParamSection } & Omit<Props, 'meta'>) {
  const { id, group, specs } = section;
  const bodyId = useId();
  const changed = changedKeys(specs, values);
  const invalid = specs.filter((s) => notices.has(s.key)).map((s) => s.key);
  const [open, setOpen] = useState(() => !group?.collapsed || changed.length > 0 || invalid.length > 0);
  // A value that becomes changed or invalid from outside the section (the URL read after the first
  // render, a scenario, a clamp) opens it once, so it is on screen; the user may close it again.
  // Tracked in state, as React advises for values derived from a change of props.
  const flagged = [...new Set([...changed, ...invalid])];
  const [seen, setSeen] = useState(flagged);
  if (flagged.length !== seen.length || flagged.some((k) => !seen.includes(k))) {
    setSeen(flagged);
    if (flagged.some((k) => !seen.includes(k)) && !open) setOpen(true);
  }
  const hiddenNote = open
    ? null
    : [changed.length ? `${changed.length} changed` : '', invalid.length ? `${invalid.length} to fix` : '']
        .filter(Boolean)
        .join(', ');
  return (
    <section
      className={`param-group${group?.key ? ' param-group-key' : ''}`}
      data-group={id}
      aria-labelledby={`${bodyId}-title`}
    >
      <h2 className="param-group-title" id={`${bodyId}-title`}>
        <button
          type="button"
          className="param-group-toggle"
          aria-expanded={open}
          aria-controls={bodyId}
          onClick={() => setOpen(!open)}
        >
          <span className="param-group-chevron" aria-hidden="true">
            {open ? '▾' : '▸'}
          </span>
          {group?.title}
          {hiddenNote ? (
            <span className={`param-group-note${invalid.length ? ' param-group-note-invalid' : ''}`}>
              {' '}
              ({hiddenNote})
            </span>
          ) : null}
        </button>
      </h2>
      <div id={bodyId} className="param-group-body" hidden={!open}>
        <Controls specs={specs} values={values} notices={notices} onChange={onChange} />
      </div>
    </section>
  );
}
