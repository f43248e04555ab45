/** The typed parameter schema every lab declares; the store, the URL and the controls all read it. */
interface ParamBase {
  key: string;
  label: string;
  /** One line shown under the control. */
  help: string;
  unit?: string;
  /**
   * 'view': the lab's own view shows this control (a panel with its own inputs), not the shell's
   * parameter column. It is still validated and kept in the URL, but it does not re-run the lab
   * or mark its result stale: it belongs to a part of the view that runs by itself.
   */
  placement?: 'view';
  /** The id of the group (a key of the meta's `groups`) this control is shown in. */
  group?: string;
}

/**
 * A titled set of a lab's controls (`meta.groups`, id → group). The sidebar draws its groups as
 * sections in declaration order, the key group first; a group placed in a panel is drawn by that
 * panel of the view (PanelParams with the group id), not by the sidebar.
 */
export interface ParamGroup {
  title: string;
  /**
   * 'sidebar' (default): a section of the shell's parameter column. 'panel': a panel of the view
   * named by the group id draws these controls; its parameters are placement 'view'.
   */
  placement?: 'sidebar' | 'panel';
  /** Closed until opened (a group holding a changed or invalid value opens anyway). */
  collapsed?: boolean;
  /**
   * The lab's key group: its most important controls (at most KEY_GROUP_MAX), drawn first and
   * never collapsed. Exactly one per lab that declares groups; it is what a first screen shows.
   */
  key?: boolean;
}

export type ParamGroups = Readonly<Record<string, ParamGroup>>;

export interface NumberParam extends ParamBase {
  kind: 'int' | 'number';
  default: number;
  min: number;
  max: number;
  step?: number;
  /** Sliders for sizes that span decades move in powers of two. */
  scale?: 'linear' | 'log2';
}

export interface EnumParam extends ParamBase {
  kind: 'enum';
  default: string;
  values: readonly string[];
  /** Display names for values, where the value is terse. */
  labels?: Record<string, string>;
  /** Values older links used, each read as the value it became (no notice: the link still means the same thing). */
  aliases?: Readonly<Record<string, string>>;
}

export interface BoolParam extends ParamBase {
  kind: 'bool';
  default: boolean;
}

/** Free text kept in the URL (a compressed config, say): bounded in length and characters. */
export interface TextParam extends ParamBase {
  kind: 'text';
  default: string;
  maxLength: number;
  /** A RegExp source the whole value must match (e.g. "[A-Za-z0-9_-]*" for base64url). */
  pattern?: string;
}

export type ParamSpec = NumberParam | EnumParam | BoolParam | TextParam;
export type ParamSchema = readonly ParamSpec[];
export type ParamValue = number | string | boolean;
export type ParamValues = Record<string, ParamValue>;

export interface ParamNotice {
  key: string;
  message: string;
}

// Typed parameters: the value type of each key is derived from the schema declared `as const`
// (or through defineLab, which keeps the literal types). Defined here, beside the specs they read,
// and re-exported by contract.ts, so schema.ts and contract.ts do not import each other.

/** int/number → number, enum → the union of its values, bool → boolean. */
export type ParamType<S extends ParamSpec> = S extends NumberParam
  ? number
  : S extends EnumParam
    ? S['values'][number]
    : S extends BoolParam
      ? boolean
      : S extends TextParam
        ? string
        : never;

/** The typed parameter object of a schema: `ParamsOf<typeof meta.schema>`. */
export type ParamsOf<S extends ParamSchema> = { -readonly [P in S[number] as P['key']]: ParamType<P> };

/** The schema's default values, typed by the schema. */
export function defaults<S extends ParamSchema>(schema: S): ParamsOf<S> {
  return Object.fromEntries(schema.map((p) => [p.key, p.default])) as ParamsOf<S>;
}
