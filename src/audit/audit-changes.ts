// What an audit row records: the fields that changed, never a secret. Any property whose name
// looks like a credential (at any depth, header names included) is replaced by `[redacted]`.

export const REDACTED = '[redacted]';

const SECRET_NAME = /keys?$|secret|passw|token$|^(proxy-)?authorization$|cookie|credential|signature/i;

export type Changes = Record<string, unknown>;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

export function redactChanges(value: unknown, extraSecretFields: readonly string[] = []): unknown {
  if (Array.isArray(value)) return value.map((item) => redactChanges(item, extraSecretFields));
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([name, inner]) => [
      name,
      inner !== undefined && inner !== null && (SECRET_NAME.test(name) || extraSecretFields.includes(name))
        ? REDACTED
        : redactChanges(inner, extraSecretFields),
    ]),
  );
}

/** `{field: {from, to}}` for every top-level field whose value differs (compared as JSON). */
export function diffChanges(before: Record<string, unknown>, after: Record<string, unknown>): Changes {
  const changes: Changes = {};
  for (const field of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (JSON.stringify(before[field] ?? null) !== JSON.stringify(after[field] ?? null)) {
      changes[field] = { from: before[field] ?? null, to: after[field] ?? null };
    }
  }
  return changes;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !(value instanceof Date);
}

/** An update that only flips `enabled` is recorded as `enable` / `disable`. */
export function updateAction(changes: Changes): 'update' | 'enable' | 'disable' {
  const fields = Object.keys(changes);
  if (fields.length !== 1 || fields[0] !== 'enabled') return 'update';
  return (changes.enabled as { to: unknown }).to ? 'enable' : 'disable';
}
