import { EventEmitter } from 'node:events';

/**
 * A cheap stand-in for AbortController on the hot path: an AbortSignal (an EventTarget) cost more
 * than the rest of an attempt's bookkeeping (measured). undici accepts any emitter of `abort`
 * with `aborted` and `reason` as a request signal.
 */
export class AbortLatch extends EventEmitter {
  aborted = false;
  reason: unknown;

  abort(reason: unknown = new Error('aborted')): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.emit('abort');
  }
}

export type CancelSignal = AbortSignal | AbortLatch;

/** Calls `listener` once when `signal` aborts; returns the function that stops listening. */
export function onCancel(signal: CancelSignal, listener: () => void): () => void {
  if (signal instanceof AbortLatch) {
    signal.once('abort', listener);
    return () => signal.off('abort', listener);
  }
  signal.addEventListener('abort', listener, { once: true });
  return () => signal.removeEventListener('abort', listener);
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleepUnlessCancelled(ms: number, signal: CancelSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const stop = onCancel(signal, () => {
      clearTimeout(timer);
      resolve();
    });
    const timer = setTimeout(() => {
      stop();
      resolve();
    }, ms);
  });
}
