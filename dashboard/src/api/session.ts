// The admin token lives in memory and sessionStorage only (never localStorage, never a cookie).
const STORAGE_KEY = 'switchyard.token';

/** `expired`: a call answered 401, as opposed to Sign out. */
export type EndReason = 'expired' | 'signed-out';
type Listener = (token: string | undefined, reason?: EndReason) => void;

let token: string | undefined = readStored();
const listeners = new Set<Listener>();

function readStored(): string | undefined {
  try {
    return sessionStorage.getItem(STORAGE_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

export function currentToken(): string | undefined {
  return token;
}

export function setToken(next: string | undefined, reason?: EndReason): void {
  token = next;
  try {
    if (next === undefined) sessionStorage.removeItem(STORAGE_KEY);
    else sessionStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Storage refused (private mode): the in-memory token still works for this tab.
  }
  for (const listener of listeners) listener(next, reason);
}

export function onTokenChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
