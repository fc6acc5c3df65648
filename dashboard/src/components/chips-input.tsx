import { useId, useState } from 'preact/hooks';
import { FieldNotes } from './ui.js';

export function maskSecret(value: string): string {
  return value.length <= 8 ? '…' + value.slice(-2) : `${value.slice(0, 3)}…${value.slice(-4)}`;
}

interface ChipsInputProps {
  label: string;
  /** Accessible name of the add button, e.g. "Add key". */
  addLabel: string;
  values: string[];
  onChange: (values: string[]) => void;
  /** Show each value masked (secrets). */
  masked?: boolean;
  type?: 'text' | 'password';
  messages?: string[];
  hint?: string;
}

/** A list edited as chips: type a value, press Enter or the add button; × removes one. */
export function ChipsInput({
  label,
  addLabel,
  values,
  onChange,
  masked,
  type = 'text',
  messages = [],
  hint,
}: ChipsInputProps) {
  const id = useId();
  const [draft, setDraft] = useState('');

  function add() {
    const items = draft
      .split(masked ? /\s+/ : /[\s,]+/)
      .map((item) => item.trim())
      .filter((item) => item && !values.includes(item));
    if (items.length) onChange([...values, ...items]);
    setDraft('');
  }

  return (
    <div class={`field${messages.length ? ' field-invalid' : ''}`}>
      <label for={id}>{label}</label>
      {values.length ? (
        <ul class="chips" aria-label={`${label} added`}>
          {values.map((value) => {
            const shown = masked ? maskSecret(value) : value;
            return (
              <li class="chip" key={value}>
                {shown}
                <button
                  type="button"
                  aria-label={`Remove ${shown}`}
                  onClick={() => onChange(values.filter((v) => v !== value))}
                >
                  ×
                </button>
              </li>
            );
          })}
        </ul>
      ) : null}
      <div class="inline-add">
        <input
          id={id}
          type={type as string as 'text'}
          autocomplete="off"
          value={draft}
          aria-describedby={messages.length ? `${id}-err` : hint ? `${id}-hint` : undefined}
          aria-invalid={messages.length > 0 || undefined}
          onInput={(e) => setDraft(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              add();
            }
          }}
        />
        <button type="button" onClick={add} disabled={!draft.trim()}>
          {addLabel}
        </button>
      </div>
      <FieldNotes id={id} hint={hint} messages={messages} />
    </div>
  );
}
