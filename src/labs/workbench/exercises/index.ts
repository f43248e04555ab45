import { ExerciseSchema, type Exercise } from '../exercise';

// Each exercise is a folder of data: exercise.json (statement, bindings, cases, tolerance, traffic
// target) plus the starter and the teaching solution as plain WGSL.
const jsons = import.meta.glob<{ default: unknown }>('./*/exercise.json', { eager: true });
const starters = import.meta.glob<string>('./*/starter.wgsl', { eager: true, query: '?raw', import: 'default' });
const solutions = import.meta.glob<string>('./*/solution.wgsl', { eager: true, query: '?raw', import: 'default' });

/** Order shown in the picker: from one-pass elementwise work to tiling and indirection. */
export const EXERCISE_ORDER = ['bias-gelu', 'row-softmax', 'tiled-matmul', 'attention-block', 'paged-gather'];

function load(): Exercise[] {
  const out: Exercise[] = [];
  for (const [path, mod] of Object.entries(jsons)) {
    const dir = path.slice(0, path.lastIndexOf('/'));
    const data = ExerciseSchema.parse(mod.default);
    const starter = starters[`${dir}/starter.wgsl`];
    const solution = solutions[`${dir}/solution.wgsl`];
    if (!starter || !solution) throw new Error(`exercise ${data.id} lacks starter.wgsl or solution.wgsl`);
    out.push({ ...data, starter, solution });
  }
  return out.sort((a, b) => EXERCISE_ORDER.indexOf(a.id) - EXERCISE_ORDER.indexOf(b.id));
}

export const EXERCISES: Exercise[] = load();

export function findExercise(id: string): Exercise {
  const ex = EXERCISES.find((e) => e.id === id);
  if (!ex)
    throw new Error(`Unknown exercise ${JSON.stringify(id)}; choose one of ${EXERCISES.map((e) => e.id).join(', ')}.`);
  return ex;
}
