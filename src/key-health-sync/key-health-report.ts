import type { BreakerSnapshot } from '../key-health/circuit-breaker.js';
import type {
  KeyTransition,
  SharedKeyState,
  TransitionReason,
  UpstreamKeyRef,
} from '../key-health/key-health.js';

// What one replica tells the others when a key's health changes, as JSON on Redis. Pure: building,
// reading and checking reports; the service does the talking.

export interface KeyHealthReport {
  /** The replica that saw it (its own reports are ignored). */
  readonly from: string;
  /** When it changed there (epoch ms): an older report never overwrites a newer one. */
  readonly at: number;
  readonly reason: TransitionReason;
  readonly ref: UpstreamKeyRef;
  readonly state: SharedKeyState;
}

/**
 * The report of a transition this replica saw, or undefined when there is nothing to share: a
 * transition applied from another replica, or a breaker going half-open (the trial is this
 * replica's; the others keep the breaker open until the trial's result arrives).
 */
export function reportOf(
  t: KeyTransition,
  state: SharedKeyState | undefined,
  from: string,
): KeyHealthReport | undefined {
  if (t.remote || t.to === 'half_open' || state === undefined) return undefined;
  return { from, at: t.at, reason: t.reason, ref: t.ref, state: asSeenByOthers(state, t.at) };
}

/**
 * A half-open breaker (this replica is sending its trial) is, for every other replica, an open
 * breaker whose back-off is over: they wait for the trial's result instead of sending their own.
 */
export function asSeenByOthers(state: SharedKeyState, at: number): SharedKeyState {
  if (state.breaker.state !== 'half_open') return state;
  const breaker: BreakerSnapshot = {
    ...state.breaker,
    state: 'open',
    nextAttemptAt: at,
    recentFailureAt: [],
  };
  return { ...state, breaker };
}

/** Parses a report received from Redis; undefined for anything malformed. */
export function parseReport(text: string): KeyHealthReport | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return isReport(value) ? value : undefined;
}

const BREAKER_STATES = new Set(['closed', 'open', 'half_open']);

function isReport(value: unknown): value is KeyHealthReport {
  if (!isObject(value) || typeof value.from !== 'string' || !isNatural(value.at)) return false;
  if (typeof value.reason !== 'string' || !isObject(value.ref) || !isObject(value.state)) return false;
  const { ref, state } = value;
  if (!isNatural(ref.keyId) || !isNatural(ref.groupId) || typeof ref.groupName !== 'string') return false;
  if (typeof ref.masked !== 'string') return false;
  if (!isNatural(state.cooldownUntil) || !isNatural(state.unhealthyUntil)) return false;
  if (state.invalid !== undefined && !(isObject(state.invalid) && isNatural(state.invalid.status)))
    return false;
  const breaker = state.breaker;
  return (
    isObject(breaker) &&
    BREAKER_STATES.has(breaker.state as string) &&
    isNatural(breaker.consecutiveFailures) &&
    isNatural(breaker.consecutiveSuccesses) &&
    isNatural(breaker.openedCount) &&
    (breaker.nextAttemptAt === undefined || isNatural(breaker.nextAttemptAt)) &&
    Array.isArray(breaker.recentFailureAt) &&
    breaker.recentFailureAt.every(isNatural)
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Ids, counts and epoch-ms times alike: non-negative safe integers. */
const isNatural = (value: unknown): boolean => Number.isSafeInteger(value) && (value as number) >= 0;
