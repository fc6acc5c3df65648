// `npm start` builds first when dist/ (the server) or dashboard/dist/ (the dashboard) is missing
// or older than any of its sources.
const { statSync, readdirSync, existsSync } = require('node:fs');
const { join } = require('node:path');
const { execSync } = require('node:child_process');

const root = join(__dirname, '..');

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

function stale(output, sources) {
  return !existsSync(output) || statSync(output).mtimeMs < Math.max(...sources.map(newestMtime));
}

const dashboard = join(root, 'dashboard');
const builds = [
  {
    name: 'the server',
    stale: stale(join(root, 'dist', 'tsconfig.tsbuildinfo'), [join(root, 'src')]),
    command: 'npx tsc -p tsconfig.build.json',
  },
  {
    name: 'the dashboard',
    stale: stale(join(dashboard, 'dist', 'index.html'), [
      join(dashboard, 'src'),
      join(dashboard, 'index.html'),
      join(dashboard, 'vite.config.ts'),
      join(dashboard, 'tsconfig.json'),
    ]),
    command: 'npm run build:dashboard',
  },
];

for (const build of builds.filter((candidate) => candidate.stale)) {
  console.log(`Building ${build.name}…`);
  execSync(build.command, { cwd: root, stdio: 'inherit' });
}
