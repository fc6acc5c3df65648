import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const logDir = mkdtempSync(join(tmpdir(), 'switchyard-bench-logs-'));
let started = 0;

/**
 * Starts a node script (after `nodeFlags`) with its stdout in a file (not a pipe: reading the
 * gateway's access log in the benchmark process would load the load generator) and resolves once a
 * line matching `ready` appears there.
 */
export async function startProcess(
  script: string,
  env: Record<string, string>,
  ready: RegExp,
  nodeFlags: readonly string[] = [],
): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  started += 1; // one log file per process, even for two of the same script
  const logFile = join(logDir, `${script.replace(/\W+/g, '-')}-${started}.log`);
  const out = openSync(logFile, 'w');
  const child = spawn(process.execPath, [...nodeFlags, script], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', out, 'inherit'],
  });
  closeSync(out);
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`${script} exited with ${child.exitCode}: ${readFileSync(logFile, 'utf8')}`);
    const match = ready.exec(readFileSync(logFile, 'utf8'));
    if (match) return { child, match };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill();
  throw new Error(`${script} did not start: ${readFileSync(logFile, 'utf8')}`);
}

/** Peak resident set size of a process (VmHWM), in MB. */
export function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)\s+kB/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

/** The node flags `npm start` runs the gateway with, so the benchmark measures what is deployed. */
export function startScriptNodeFlags(): string[] {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
  const flags = /^node (.*?)\s*dist\/main\.js$/.exec(pkg.scripts.start)?.[1];
  if (flags === undefined) throw new Error(`unexpected start script: ${pkg.scripts.start}`);
  return flags.split(/\s+/).filter(Boolean);
}
