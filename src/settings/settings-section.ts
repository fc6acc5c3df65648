/** What a module registers to own one section of `GET/PUT /admin/settings`. */
export interface SettingsSection<T> {
  readonly defaults: T;
  /** Returns the normalised value or throws an AdminError ('invalid') with a clear message. */
  validate(value: unknown): T;
  /** Fields shown as `[redacted]` in audit rows beyond the credential-like names (e.g. a webhook URL). */
  readonly secretFields?: readonly string[];
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A section's update: objects merge shallowly over the current value, anything else replaces it. */
export function mergeSection(current: unknown, patch: unknown): unknown {
  return isPlainObject(current) && isPlainObject(patch) ? { ...current, ...patch } : patch;
}
