import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runnerImport, type Plugin } from 'vite';
import { checkScenarioText, type LabInfo } from './schema';

/**
 * Node-only: checks every scenarios/*.json against the schema and the registered labs. The lab
 * registry is loaded through Vite's module runner because a lab's modules may import WGSL with
 * `?raw`, which plain Node cannot; only the small metas are evaluated (entries load on demand).
 */
export async function checkScenarioDir(root: string): Promise<{ files: string[]; errors: string[] }> {
  const dir = join(root, 'scenarios');
  const files = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .sort()
    : [];
  const { module } = await runnerImport<{ LABS: LabInfo[] }>(join(root, 'src/labs/registry.ts'), { configFile: false, root, logLevel: 'silent' });
  const errors = files.flatMap((f) => checkScenarioText(`scenarios/${f}`, readFileSync(join(dir, f), 'utf8'), module.LABS).errors);
  return { files, errors };
}

/** Fails `vite build` on an invalid scenario file; in dev, reports problems without stopping the server. */
export function scenarioCheckPlugin(): Plugin {
  let root = process.cwd();
  let building = false;
  return {
    name: 'gpu-playground:scenario-check',
    configResolved(c) {
      root = c.root;
      // Builds fail on a bad file; the dev server and vitest (which test the files) only report.
      building = c.command === 'build' && !process.env.VITEST;
    },
    async buildStart() {
      if (!building) return;
      const { files, errors } = await checkScenarioDir(root);
      if (errors.length) this.error(`Invalid scenario files:\n  ${errors.join('\n  ')}`);
      this.info?.(`${files.length} scenario files valid`);
    },
    configureServer(server) {
      if (process.env.VITEST) return;
      const report = () =>
        void checkScenarioDir(root).then(({ errors }) => {
          if (errors.length) server.config.logger.error(`Invalid scenario files:\n  ${errors.join('\n  ')}`);
        });
      server.watcher.on('change', (f) => f.includes('/scenarios/') && report());
      server.watcher.on('add', (f) => f.includes('/scenarios/') && report());
    },
  };
}
