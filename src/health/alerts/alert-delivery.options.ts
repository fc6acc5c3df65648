export const ALERT_DELIVERY_OPTIONS = Symbol('ALERT_DELIVERY_OPTIONS');

/** How webhook deliveries are retried; a provider value, so tests can make the back-off tiny. */
export interface AlertDeliveryOptions {
  /** Tries per webhook and alert, the first one included. */
  maxAttempts: number;
  /** Back-off before try n+1: base × 2^(n-1), at most maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Per POST. */
  timeoutMs: number;
  /** Deliveries queued or retrying at once; past it new alerts are dropped (and logged). */
  maxPending: number;
}

export const DEFAULT_ALERT_DELIVERY_OPTIONS: Readonly<AlertDeliveryOptions> = Object.freeze({
  maxAttempts: 5,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  timeoutMs: 5000,
  maxPending: 1000,
});

export function retryDelayMs(options: AlertDeliveryOptions, failedAttempts: number): number {
  return Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, failedAttempts - 1));
}
