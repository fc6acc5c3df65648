import { explain, keyLabel, keyState, type KeyFacts } from '../lib/key-state.js';

/** A coloured dot with its state in words beside it (colour is never the only signal). */
export function KeyDot({
  facts,
  name,
  now,
  compact,
}: {
  facts: KeyFacts;
  name: string;
  now: number;
  compact?: boolean;
}) {
  const state = keyState(facts.reason);
  const why = explain(facts);
  return (
    <span class={`key-dot state-${state}`} title={`${name}: ${why}`} data-state={state}>
      <span class="dot" aria-hidden="true" />
      {compact ? (
        <span class="visually-hidden">
          {name}: {keyLabel(facts, now)} ({why})
        </span>
      ) : (
        <span class="key-dot-text">
          <span class="mono">{name}</span> {keyLabel(facts, now)}
        </span>
      )}
    </span>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return <span class={`badge badge-${status}`}>{status}</span>;
}
