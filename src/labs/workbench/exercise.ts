import { z } from 'zod';

/** How a hidden input is filled: seeded uniform floats, or page ids (a shuffled, non-repeating draw). */
const Init = z.discriminatedUnion('dist', [
  z.object({ dist: z.literal('uniform'), lo: z.number(), hi: z.number() }),
  z.object({ dist: z.literal('permutation'), of: z.string() }),
]);

const Binding = z.object({
  binding: z.number().int().min(0),
  name: z.string().regex(/^[A-Za-z_]\w*$/),
  role: z.enum(['input', 'output', 'scratch']),
  type: z.enum(['f32', 'u32']),
  /** Element count, an expression over the case's sizes. */
  length: z.string(),
  /** Output only: the array's shape, so a mismatch is reported at (row, col) as well as its index. */
  shape: z.array(z.string()).optional(),
  init: Init.optional(),
});

const Field = z.object({ name: z.string(), type: z.enum(['u32', 'f32']), value: z.string() });

export const ExerciseSchema = z.object({
  id: z.string(),
  title: z.string(),
  summary: z.string(),
  /** Paragraphs; `backticks` mark code. */
  statement: z.array(z.string()),
  hints: z.array(z.string()).default([]),
  /** Names of each case's sizes; `derived` adds names computed from them. */
  dims: z.array(z.string()),
  derived: z.record(z.string(), z.string()).default({}),
  bindings: z.array(Binding),
  params: z.object({ binding: z.number().int(), struct: z.string(), fields: z.array(Field) }),
  /** Workgroups per dimension; may use wg.x, wg.y, wg.z (the kernel's @workgroup_size). */
  grid: z.tuple([z.string(), z.string(), z.string()]),
  cases: z.object({ seed: z.number().int(), sizes: z.array(z.record(z.string(), z.number().int().positive())).min(1) }),
  reference: z.string(),
  tolerance: z.object({ abs: z.number(), rel: z.number() }),
  /** Bytes the target kernel reads and writes (the cost model), and why that is the floor. */
  traffic: z.object({ read: z.string(), write: z.string(), explain: z.string() }),
  loopLimit: z
    .number()
    .int()
    .positive()
    .default(1 << 20),
  /** One larger size for the bench (`npm run bench -- --lab workbench`): on a CPU adapter, on a real GPU. */
  bench: z.object({
    software: z.record(z.string(), z.number().int().positive()),
    hardware: z.record(z.string(), z.number().int().positive()),
  }),
});

export type ExerciseData = z.infer<typeof ExerciseSchema>;
export type BindingSpec = ExerciseData['bindings'][number];

export interface Exercise extends ExerciseData {
  starter: string;
  solution: string;
}
