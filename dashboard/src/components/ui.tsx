import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useId, useRef } from 'preact/hooks';
import { api, ApiError } from '../api/client.js';

/** An API error as a sentence plus the request id to quote when reporting it. */
export function ErrorMessage({ error, prefix }: { error: unknown; prefix?: string }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  const requestId = error instanceof ApiError ? error.requestId : undefined;
  return (
    <div class="alert alert-error" role="alert">
      {prefix ? `${prefix}: ` : ''}
      {message}
      {requestId ? <span class="request-id"> (request id {requestId})</span> : null}
    </div>
  );
}

export function Notice({ children }: { children: ComponentChildren }) {
  return (
    <div class="alert alert-ok" role="status">
      {children}
    </div>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <div class="empty">{children}</div>;
}

export function PageHeader({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="page-header">
      <h1>{title}</h1>
      <div class="page-actions">{children}</div>
    </div>
  );
}

/** A field's hint and the server's messages, with the ids its control's aria-describedby names. */
export function FieldNotes({ id, hint, messages }: { id: string; hint?: string; messages: string[] }) {
  return (
    <>
      {hint ? (
        <small id={`${id}-hint`} class="hint">
          {hint}
        </small>
      ) : null}
      {messages.length ? (
        <small id={`${id}-err`} class="field-error">
          {messages.join('; ')}
        </small>
      ) : null}
    </>
  );
}

interface FieldProps {
  label: string;
  hint?: string;
  messages?: string[];
  children: (props: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean }) => JSX.Element;
}

/** A visible label, the control, an optional hint and the server's messages for this field. */
export function Field({ label, hint, messages = [], children }: FieldProps) {
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : '', messages.length ? `${id}-err` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div class={`field${messages.length ? ' field-invalid' : ''}`}>
      <label for={id}>{label}</label>
      {children({
        id,
        'aria-describedby': describedBy || undefined,
        'aria-invalid': messages.length > 0 || undefined,
      })}
      <FieldNotes id={id} hint={hint} messages={messages} />
    </div>
  );
}

export function Checkbox({
  label,
  checked,
  onChange,
}: {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  return (
    <label class="checkbox">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.currentTarget.checked)} />
      {label}
    </label>
  );
}

/** A modal on the native <dialog>: focus moves in, Escape closes, focus returns afterwards. */
export function Dialog({
  title,
  onClose,
  children,
  wide,
}: {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    const opener = document.activeElement as HTMLElement | null;
    dialog?.showModal();
    return () => {
      dialog?.close();
      opener?.focus?.();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      class={wide ? 'dialog dialog-wide' : 'dialog'}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <div class="dialog-head">
        <h2 id={titleId}>{title}</h2>
        <button type="button" class="btn-icon" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </div>
      {children}
    </dialog>
  );
}

export function Confirm({
  title,
  message,
  action,
  onConfirm,
  onClose,
  error,
}: {
  title: string;
  message: ComponentChildren;
  action: string;
  onConfirm: () => void;
  onClose: () => void;
  error?: unknown;
}) {
  return (
    <Dialog title={title} onClose={onClose}>
      <p>{message}</p>
      <ErrorMessage error={error} />
      <div class="form-actions">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="button" class="btn-danger" onClick={onConfirm}>
          {action}
        </button>
      </div>
    </Dialog>
  );
}

export function Pager({
  page,
  pageSize,
  total,
  onPage,
}: {
  page: number;
  pageSize: number;
  total: number;
  onPage: (page: number) => void;
}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <nav class="pager" aria-label="Pagination">
      <button type="button" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        Previous page
      </button>
      <span>
        Page {page} of {pages} · {total.toLocaleString('en-US')} rows
      </span>
      <button type="button" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        Next page
      </button>
    </nav>
  );
}

/** A segmented control of radio buttons (keyboard: arrow keys move between them). */
export function Segmented<T extends string>({
  label,
  options,
  value,
  onChange,
}: {
  label: string;
  options: ReadonlyArray<{ value: T; label: string }>;
  value: T;
  onChange: (value: T) => void;
}) {
  const name = useId();
  return (
    <fieldset class="segmented">
      <legend class="visually-hidden">{label}</legend>
      {options.map((option) => (
        <label key={option.value} class={option.value === value ? 'active' : ''}>
          <input
            type="radio"
            name={name}
            value={option.value}
            checked={option.value === value}
            onChange={() => onChange(option.value)}
          />
          {option.label}
        </label>
      ))}
    </fieldset>
  );
}

/** Enables or disables one named item through `PATCH path {enabled}`, run by the page's `act`. */
export function EnableToggle({
  name,
  enabled,
  path,
  act,
}: {
  name: string;
  enabled: boolean;
  path: string;
  act: (work: () => Promise<unknown>) => Promise<boolean>;
}) {
  const verb = enabled ? 'Disable' : 'Enable';
  return (
    <button
      type="button"
      class="btn-small"
      aria-label={`${verb} ${name}`}
      onClick={() => act(() => api(path, { method: 'PATCH', body: { enabled: !enabled } }))}
    >
      {verb}
    </button>
  );
}
