import { setFlagsFromString } from 'node:v8';

/**
 * V8's defaults size the heap for throughput on big machines; a gateway keeps little live data
 * (~45 MB) and churns short-lived objects. Measured under `npm run bench` (bench/README.md), the
 * defaults cost ~80 MB of peak RSS and bought no measurable throughput:
 * - the young generation grows to 2 × 16 MB semi-spaces. V8 reads that cap only when the process
 *   starts, so `npm start` and the Docker image pass `--max-semi-space-size=4`;
 * - the old generation may grow to several times its live size before a full collection; 25 %
 *   keeps the garbage promoted by in-flight requests and queued usage records from piling up;
 * - TurboFan re-compiling undici's WebAssembly HTTP parser allocates ~35 MB for a moment under
 *   the first load; its baseline (Liftoff) code parses our upstream answers fast enough.
 *
 * The last two are set here, before the application is loaded (see main.ts), so that every way of
 * starting the gateway gets them. `V8_FLAGS` replaces them (empty: V8's defaults).
 */
const DEFAULT_V8_FLAGS = '--heap-growing-percent=25 --liftoff-only';

export const appliedV8Flags: readonly string[] = (process.env.V8_FLAGS ?? DEFAULT_V8_FLAGS)
  .split(/\s+/)
  .filter(Boolean);

// One at a time: V8 reports an unknown flag on stderr and ignores every flag after it.
for (const flag of appliedV8Flags) setFlagsFromString(flag);
