import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface Loaded<T> {
  /** The last good answer; kept while a refresh runs, so nothing flickers. */
  readonly data: T | undefined;
  readonly error: unknown;
  readonly loading: boolean;
  reload(): void;
}

/**
 * Runs `load` now, again whenever `deps` change, and every `intervalMs` while the tab is visible
 * (0: no polling). A slow answer for old deps never overwrites a newer one.
 */
export function useLoad<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: unknown[],
  intervalMs = 0,
): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const latest = useRef(load);
  latest.current = load;

  useEffect(() => {
    const controller = new AbortController();
    setState((previous) => ({ ...previous, loading: true }));
    latest
      .current(controller.signal)
      .then((data) => !controller.signal.aborted && setState({ data, loading: false }))
      .catch(
        (error: unknown) =>
          !controller.signal.aborted &&
          setState((previous) => ({ data: previous.data, error, loading: false })),
      );
    return () => controller.abort();
  }, [...deps, tick]);

  useEffect(() => {
    if (intervalMs <= 0) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') setTick((n) => n + 1);
    }, intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);

  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

/** The system's colour scheme, followed live (charts read their colours from the theme's tokens). */
export function useColorScheme(): 'light' | 'dark' {
  const query = '(prefers-color-scheme: dark)';
  const [dark, setDark] = useState(() => matchMedia(query).matches);
  useEffect(() => {
    const list = matchMedia(query);
    const update = () => setDark(list.matches);
    list.addEventListener('change', update);
    return () => list.removeEventListener('change', update);
  }, []);
  return dark ? 'dark' : 'light';
}

/** Re-renders every `ms` (countdowns). */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

/**
 * Runs a change (a PATCH, a DELETE …), reloads the page's data when it worked, and keeps the error
 * to show when it did not. `act` resolves to whether the change went through.
 */
export function useAction(reload: () => void): {
  act: (work: () => Promise<unknown>) => Promise<boolean>;
  actionError: unknown;
} {
  const [actionError, setActionError] = useState<unknown>();
  const act = async (work: () => Promise<unknown>) => {
    setActionError(undefined);
    try {
      await work();
      reload();
      return true;
    } catch (caught) {
      setActionError(caught);
      return false;
    }
  };
  return { act, actionError };
}
