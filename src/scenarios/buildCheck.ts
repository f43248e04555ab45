import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LABS } from '../labs/registry';
import { checkScenarioText } from './schema';

/**
 * Node-only: checks every scenarios/*.json against the schema and the registered labs. The build
 * (vite.config.ts) loads this file through Vite's module runner, because lab modules may import
 * WGSL with `?raw`, which plain Node cannot; only the labs' small metas are evaluated.
 */
export async function checkScenarioDir(root: string): Promise<{ files: string[]; errors: string[] }> {
  const dir = join(root, 'scenarios');
  const files = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .sort()
    : [];
  const errors = files.flatMap(
    (f) => checkScenarioText(`scenarios/${f}`, readFileSync(join(dir, f), 'utf8'), LABS).errors,
  );
  return { files, errors };
}
