// The layer order of src/ (docs/architecture.md draws it). A module may import from its own
// folder and from the modules listed before it, never from one listed after it; no cycles.
const LAYERS = [
  ['common', 'paths.ts'],
  ['config'],
  ['database'],
  ['redis'],
  ['lease'],
  ['upstream'],
  ['key-health'],
  ['routing'],
  ['audit'],
  ['auth'],
  ['settings'],
  ['providers'],
  ['proxy-keys'],
  ['routing-loader'],
  ['declarative-config'],
  ['config-sync'],
  ['key-health-sync'],
  ['metrics'],
  ['stats'],
  ['health'],
  ['proxy'],
  ['operations'],
  ['cli', 'dashboard', 'app.factory.ts', 'app.module.ts', 'bootstrap.ts', 'main.ts', 'v8-tuning.ts'],
];

const literal = (name) => name.replace(/[.]/g, '\\.');
const pathOf = (names) =>
  `^src/(${names.map((name) => (name.endsWith('.ts') ? literal(name) + '$' : literal(name) + '/')).join('|')})`;

const upward = LAYERS.slice(0, -1).map((layer, index) => ({
  name: `layer-${layer[0]}`,
  comment: `${layer.join(', ')} may not import from a module above it: ${LAYERS.slice(index + 1)
    .flat()
    .join(', ')}`,
  severity: 'error',
  from: {
    path: pathOf(layer),
    // The entity list registers every entity for TypeORM, wherever it is declared.
    pathNot: '^src/database/entities\\.ts$',
  },
  to: { path: pathOf(LAYERS.slice(index + 1).flat()) },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...upward,
    {
      name: 'entity-list-takes-entities-only',
      comment: 'database/entities.ts may reach up only to *.entity.ts files',
      severity: 'error',
      from: { path: '^src/database/entities\\.ts$' },
      to: { path: pathOf(LAYERS.slice(3).flat()), pathNot: '\\.entity\\.ts$' },
    },
    {
      name: 'no-cycles',
      comment: 'Import cycles, except between TypeORM entities that point at each other',
      severity: 'error',
      from: { path: '^src/', pathNot: '\\.entity\\.ts$' },
      to: { circular: true },
    },
    {
      name: 'no-unknown-module',
      comment: 'Every folder under src/ has a place in LAYERS (.dependency-cruiser.cjs)',
      severity: 'error',
      from: { path: '^src/', pathNot: pathOf(LAYERS.flat()) },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^src/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
