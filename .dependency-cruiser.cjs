/**
 * The layering of src/ (ARCHITECTURE.md), checked by `npm run lint:layers` as part of `npm test`.
 * Each rule says why the boundary exists; a violation names the importing file and the import.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'sim-is-pure',
      comment:
        'src/sim holds deterministic simulations used by the app, tests, bench and workers alike: no React, no DOM-only code (d3-selection, views, the store), no WebGPU (src/gpu).',
      severity: 'error',
      from: { path: '^src/sim/' },
      to: {
        path: [
          '^src/(gpu|app|store|ui|charts|labs|embed|workers|peers)/',
          '(^|/)node_modules/(react|react-dom|d3-selection|d3|zustand|comlink|@codemirror/[^/]+)/',
        ],
      },
    },
    {
      name: 'catalog-is-pure',
      comment:
        'src/catalog is the one table of models and GPUs that sims, labs, tests and the bench all read: data and arithmetic only (fflate for the URL form), importing nothing of the app.',
      severity: 'error',
      from: { path: '^src/catalog/' },
      to: { pathNot: ['^src/catalog/', '(^|/)node_modules/fflate/'] },
    },
    {
      name: 'kernels-only-gpu',
      comment:
        'A kernel is host code for WGSL: it may use src/gpu (buffers, dispatch, timing, counters), its own tree (shared kernels/*.ts, kernels/random.ts) and shaders/, nothing of the app, views or labs.',
      severity: 'error',
      from: { path: '^src/kernels/' },
      to: { pathNot: ['^src/kernels/', '^src/gpu/', '^shaders/'] },
    },
    {
      name: 'selftest-is-pure',
      comment:
        'src/selftest runs every kernel\'s check for the "Check my GPU" page and `npm run selftest` alike: kernels, src/gpu and shaders only (fflate for the report link), no DOM, no app, no labs.',
      severity: 'error',
      from: { path: '^src/selftest/' },
      to: { pathNot: ['^src/(selftest|kernels|gpu)/', '^shaders/', '(^|/)node_modules/fflate/'] },
    },
    {
      name: 'labs-not-shell',
      comment:
        'A lab gets everything from the shell as props (src/labkit/contract.ts); importing src/app or src/store would tie it to the shell again.',
      severity: 'error',
      from: { path: '^src/labs/' },
      to: { path: '^src/(app|store)/' },
    },
    {
      name: 'ui-is-shared',
      comment:
        'src/ui and src/charts are what labs and the shell share; they must not depend on either. The vocabulary they name (the lab contract, the parameter schema) lives in src/labkit, beside labs/, so nothing here imports up into a lab folder.',
      severity: 'error',
      from: { path: '^src/(ui|charts)/' },
      to: { path: '^src/(app|store|labs)/' },
    },
    {
      name: 'labkit-not-labs',
      comment:
        'src/labkit is the contract labs implement (contract, schema, validate, url, discover): pure vocabulary that must not reach into any one lab or the shell.',
      severity: 'error',
      from: { path: '^src/labkit/' },
      to: { path: '^src/(app|store|labs|ui|charts)/' },
    },
    {
      name: 'bench-not-labs',
      comment:
        'src/bench holds the shared bench vocabulary and timing protocol; the suites live in each lab, found by folder (import.meta.glob in suites.ts is not an import).',
      severity: 'error',
      from: { path: '^src/bench/' },
      to: { path: '^src/(app|store|labs|ui)/' },
    },
    {
      name: 'no-lab-to-lab',
      comment:
        'A lab is one folder and never imports another lab: shared code belongs in src/ui, src/charts, src/bench, a kernel or a sim folder.',
      severity: 'error',
      from: { path: '^src/labs/([^/]+)/' },
      to: { path: '^src/labs/([^/]+)/', pathNot: '^src/labs/$1/' },
    },
    {
      name: 'no-cycles',
      comment: 'Import cycles make module initialisation order matter and hide layering mistakes.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'resolvable',
      comment:
        'Every relative import resolves to a file (a typo or a moved file breaks the build later, with a worse message).',
      severity: 'error',
      from: { path: '^src/' },
      to: { couldNotResolve: true, pathNot: ['\\?(raw|url|worker|index)$'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^src/.*\\.d\\.ts$'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
