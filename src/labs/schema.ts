/** The typed parameter schema every lab declares; the store, the URL and the controls all read it. */
interface ParamBase {
  key: string;
  label: string;
  /** One line shown under the control. */
  help: string;
  unit?: string;
}

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
}

export interface BoolParam extends ParamBase {
  kind: 'bool';
  default: boolean;
}

export type ParamSpec = NumberParam | EnumParam | BoolParam;
export type ParamSchema = readonly ParamSpec[];
export type ParamValue = number | string | boolean;
export type ParamValues = Record<string, ParamValue>;

export interface ParamNotice {
  key: string;
  message: string;
}

export function defaults(schema: ParamSchema): ParamValues {
  return Object.fromEntries(schema.map((p) => [p.key, p.default]));
}
