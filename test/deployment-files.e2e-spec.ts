import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parse } from 'yaml';
import { configVariableNames } from '../src/config/parse-config.js';

// The files a user builds and deploys from — Dockerfile, docker-compose.yml, .env.example — and
// the Node versions package.json promises, against the application and the documentation. No
// Docker daemon is needed: what the image would hold is checked in the built checkout (the e2e
// run builds first), so a renamed script, a new secret or a dependency that needs a newer Node
// fails here rather than at `docker compose up` or at a user's `npm ci`.

// semver comes with npm's dependency tree (no type declarations are installed): the part used here.
const semver = createRequire(import.meta.url)('semver') as {
  satisfies(version: string, range: string): boolean;
  minVersion(range: string): { major: number; minor: number; version: string } | null;
};

const read = (path: string) => readFileSync(path, 'utf8');
const pkg = JSON.parse(read('package.json')) as { engines: { node: string }; bin: Record<string, string> };

/** Dockerfile instructions, continuation lines joined, comments dropped. */
function instructions(text: string): Array<{ op: string; args: string }> {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [op, ...rest] = line.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(' ') };
    });
}

/** The lowest version of each line `engines.node` allows: `^20.19.0 || >=24` → 20.19.0, 24.0.0. */
function lowestOfEachLine(range: string): Array<{ major: number; minor: number; version: string }> {
  return range.split('||').map((part) => semver.minVersion(part.trim())!);
}

describe('Node versions (package.json engines)', () => {
  const lines = lowestOfEachLine(pkg.engines.node);

  it('are accepted by every locked dependency, the development tools included', () => {
    const lock = JSON.parse(read('package-lock.json')) as {
      packages: Record<string, { engines?: { node?: string } }>;
    };
    const refusals = Object.entries(lock.packages).flatMap(([name, entry]) => {
      const range = entry.engines?.node;
      if (name === '' || range === undefined) return [];
      return lines
        .filter((line) => !semver.satisfies(line.version, range))
        .map((line) => `${name} (${range}) refuses Node ${line.version}`);
    });
    expect(refusals).toEqual([]);
  });

  it('are the ones the README and the configuration reference state', () => {
    const plus = lines.map((line) => (line.minor === 0 ? `${line.major}+` : `${line.major}.${line.minor}+`));
    expect(read('README.md')).toContain(`Node.js ${plus.slice(0, -1).join(', ')} or ${plus.at(-1)}.`);
    expect(read('README.md')).toContain(
      `Supported Node.js versions: ${plus.slice(0, -1).join(', ')} and ${plus.at(-1)}`,
    );
    const reference = read('docs/configuration.md').replace(/\s+/g, ' ');
    for (const line of lines.slice(0, -1))
      expect(reference).toContain(`${line.major}.${line.minor} or later ${line.major}.x`);
    expect(reference).toContain(`and ${lines.at(-1)!.major} or later`);
  });
});

describe('Dockerfile', () => {
  const steps = instructions(read('Dockerfile'));
  const runtime = steps.slice(steps.map((step) => step.op).lastIndexOf('FROM'));
  const nodeVersion = /^NODE_VERSION=(\d+)$/.exec(steps.find((step) => step.op === 'ARG')!.args)![1];

  it('builds on a Node line package.json supports, the same in both stages', () => {
    expect(semver.satisfies(`${nodeVersion}.0.0`, pkg.engines.node)).toBe(true);
    const bases = steps.filter((step) => step.op === 'FROM').map((step) => step.args.split(' ')[0]);
    expect(new Set(bases)).toEqual(new Set(['node:${NODE_VERSION}-trixie-slim']));
    expect(read('README.md')).toContain(`The image (Node ${nodeVersion}, the current LTS;`);
    expect(read('docs/configuration.md').replace(/\s+/g, ' ')).toContain(
      `The Docker image uses Node ${nodeVersion}`,
    );
  });

  it('runs as a non-root user, with a HEALTHCHECK on the readiness probe', () => {
    const user = runtime.filter((step) => step.op === 'USER').at(-1)?.args;
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user);
    const healthcheck = runtime.find((step) => step.op === 'HEALTHCHECK')?.args ?? '';
    expect(healthcheck).toContain('/health/ready');
  });

  it('puts the CLI on the PATH as `switchyard`, from the built file package.json names', () => {
    const cli = pkg.bin.switchyard;
    const link = runtime.find((step) => step.op === 'RUN' && step.args.includes('/usr/local/bin/switchyard'));
    expect(link?.args).toContain(`ln -s /app/${cli} /usr/local/bin/switchyard`);
    expect(link?.args).toContain(`chmod +x ${cli}`);
    expect(read(cli).split('\n')[0]).toBe('#!/usr/bin/env node');
    // The migrations are compiled into dist/ with the rest: `switchyard migrate` needs nothing else.
    expect(existsSync('dist/database/migrations/index.js')).toBe(true);
  });

  it('starts the built server, and copies only paths that exist and are not ignored', () => {
    const cmd = JSON.parse(runtime.find((step) => step.op === 'CMD')!.args) as string[];
    expect(existsSync(cmd.at(-1)!)).toBe(true);
    const ignored = read('.dockerignore').split('\n').filter(Boolean);
    const copies = steps.filter((step) => step.op === 'COPY');
    const fromContext = copies.filter((step) => !step.args.startsWith('--from='));
    const fromBuild = copies.filter((step) => step.args.startsWith('--from=build'));
    expect(fromContext.length).toBeGreaterThan(0);
    expect(fromBuild.length).toBeGreaterThan(0);
    for (const step of fromContext)
      for (const source of step.args.split(' ').slice(0, -1)) {
        expect(existsSync(source)).toBe(true);
        expect(ignored).not.toContain(source);
      }
    for (const step of fromBuild) {
      const source = step.args.split(' ')[1].replace(/^\/app\//, '');
      expect(existsSync(source)).toBe(true);
    }
  });
});

describe('Docker Compose and .env.example', () => {
  const compose = parse(read('docker-compose.yml'), { merge: true }) as {
    services: Record<string, { environment?: Record<string, string>; healthcheck?: { test: string[] } }>;
  };
  const composeText = read('docker-compose.yml');
  const example = read('.env.example');
  const blanks = [...example.matchAll(/^([A-Z_]+)=$/gm)].map((match) => match[1]);
  const optional = [...example.matchAll(/^# ([A-Z_]+)=/gm)].map((match) => match[1]);
  const referenced = new Set([...composeText.matchAll(/\$\{([A-Z_]+)/g)].map((match) => match[1]));
  const required = new Set([...composeText.matchAll(/\$\{([A-Z_]+):\?/g)].map((match) => match[1]));

  it('.env.example holds every variable compose requires, and only variables compose reads', () => {
    expect(new Set(blanks)).toEqual(required);
    for (const name of optional) expect(referenced).toContain(name);
  });

  it('gives the gateway only variables it reads, and probes its readiness', () => {
    const known = configVariableNames();
    for (const service of ['gateway', 'gateway-2']) {
      const { environment = {}, healthcheck } = compose.services[service];
      expect(Object.keys(environment).filter((name) => !known.includes(name))).toEqual([]);
      expect(healthcheck?.test.join(' ')).toContain('/health/ready');
    }
  });

  it('fills every blank of .env.example with the generator the README and the file itself show', () => {
    const generated = (text: string) => [...text.matchAll(/s\/\^([A-Z_]+)=\.\*\//g)].map((match) => match[1]);
    expect(generated(read('README.md'))).toEqual(blanks);
    expect(generated(example)).toEqual(blanks);
  });

  it('keeps .env out of git and out of the image', () => {
    expect(read('.gitignore').split('\n')).toContain('.env');
    expect(read('.dockerignore').split('\n')).toContain('.env');
  });
});
