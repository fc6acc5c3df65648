import { useId } from 'preact/hooks';
import type { Pairs } from '../lib/pairs.js';

interface KvEditorProps {
  legend: string;
  keyLabel: string;
  valueLabel: string;
  pairs: Pairs;
  onChange: (pairs: Pairs) => void;
  messages?: string[];
}

/** Rows of name → value (model map, headers); each input labelled for screen readers. */
export function KvEditor({ legend, keyLabel, valueLabel, pairs, onChange, messages = [] }: KvEditorProps) {
  const id = useId();
  const set = (index: number, slot: 0 | 1, value: string) =>
    onChange(
      pairs.map((pair, i) => (i === index ? (slot === 0 ? [value, pair[1]] : [pair[0], value]) : pair)),
    );
  return (
    <fieldset
      class={messages.length ? 'field-invalid' : ''}
      aria-describedby={messages.length ? `${id}-err` : undefined}
    >
      <legend>{legend}</legend>
      {pairs.length ? (
        // The visible column labels; each input also carries its own name with the row number.
        <div class="kv-row kv-head" aria-hidden="true">
          <span>{keyLabel}</span>
          <span>{valueLabel}</span>
        </div>
      ) : null}
      {pairs.map(([key, value], index) => (
        <div class="kv-row" key={index}>
          <input
            aria-label={`${keyLabel} ${index + 1}`}
            placeholder={keyLabel}
            value={key}
            onInput={(e) => set(index, 0, e.currentTarget.value)}
          />
          <input
            aria-label={`${valueLabel} ${index + 1}`}
            placeholder={valueLabel}
            value={value}
            onInput={(e) => set(index, 1, e.currentTarget.value)}
          />
          <button
            type="button"
            aria-label={`Remove ${keyLabel.toLowerCase()} ${index + 1}`}
            onClick={() => onChange(pairs.filter((_, i) => i !== index))}
          >
            ×
          </button>
        </div>
      ))}
      <button type="button" class="btn-small" onClick={() => onChange([...pairs, ['', '']])}>
        Add {keyLabel.toLowerCase()}
      </button>
      {messages.length ? (
        <small id={`${id}-err`} class="field-error">
          {messages.join('; ')}
        </small>
      ) : null}
    </fieldset>
  );
}
