import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const MAIN = resolve('dist/main.js');

export interface SpawnedGateway {
  readonly child: ChildProcess;
  readonly dataDir: string;
  stdout(): string;
  stderr(): string;
  /** Resolves with the port once the gateway logs that it listens. */
  listening(timeoutMs?: number): Promise<number>;
  exited(timeoutMs?: number): Promise<number | null>;
  /** Kills the process if it still runs and removes its data directory. */
  cleanup(): void;
}

/** Runs the built gateway (`dist/main.js`, built by `npm test`'s pretest) as a real process. */
export function spawnGateway(
  env: Record<string, string> = {},
  dataDir = mkdtempSync(join(tmpdir(), 'switchyard-proc-')),
): SpawnedGateway {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DB_PATH: join(dataDir, 'sy.db'),
      ADMIN_PASSWORD: 'proc-test-password',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exit = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));

  return {
    child,
    dataDir,
    stdout: () => out,
    stderr: () => err,
    listening: (timeoutMs = 20_000) =>
      new Promise<number>((resolvePort, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`gateway did not start:\n${out}\n${err}`)),
          timeoutMs,
        );
        const check = () => {
          const match = /listening on http:\/\/[^:]+:(\d+)/.exec(out);
          if (match) {
            clearTimeout(timer);
            child.stdout?.off('data', check);
            resolvePort(Number(match[1]));
          }
        };
        child.stdout?.on('data', check);
        void exit.then(() => {
          clearTimeout(timer);
          reject(new Error(`gateway exited before listening:\n${out}\n${err}`));
        });
        check();
      }),
    cleanup: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    },
    // Each waiting timer is cleared once settled: a pending one would keep the Jest worker alive
    // after its last suite ("A worker process has failed to exit gracefully").
    exited: (timeoutMs = 20_000) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<null>((_, reject) => {
        timer = setTimeout(() => reject(new Error('gateway did not exit')), timeoutMs);
      });
      return Promise.race([exit, timeout]).finally(() => clearTimeout(timer));
    },
  };
}
