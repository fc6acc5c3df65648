import { redactSecrets } from './redaction.js';

// Redaction by value: the exact secrets the gateway holds (upstream keys, the proxy key of the
// request) are replaced wherever upstream-derived text goes (stored, logged or returned), since an
// upstream may echo a key that looks like nothing the shape patterns know.

/** Shorter values are not treated as secrets: replacing them would mangle ordinary text. */
const MIN_SECRET_LENGTH = 6;
const MARK = '[redacted]';

export class SecretRedactor {
  private pattern: RegExp | null | undefined;

  constructor(
    private readonly secrets: readonly string[],
    private readonly parent?: SecretRedactor,
  ) {}

  /** This redactor plus `secret` (the request's proxy key); cheap, the pattern is built on first use. */
  with(secret: string | undefined): SecretRedactor {
    return secret === undefined || secret.length < MIN_SECRET_LENGTH
      ? this
      : new SecretRedactor([secret], this);
  }

  /** Known secrets, then anything shaped like a credential, replaced by `[redacted]`. */
  redact(text: string): string {
    return redactSecrets(this.redactKnown(text));
  }

  private redactKnown(text: string): string {
    const inherited = this.parent ? this.parent.redactKnown(text) : text;
    this.pattern ??= patternOf(this.secrets);
    return this.pattern === null ? inherited : inherited.replace(this.pattern, MARK);
  }
}

/** Shape-based redaction only (no known secrets). */
export const SHAPE_REDACTOR = new SecretRedactor([]);

function patternOf(secrets: readonly string[]): RegExp | null {
  const values = [...new Set(secrets.filter((s) => s.length >= MIN_SECRET_LENGTH))];
  if (values.length === 0) return null;
  // Longest first, so a key that contains another is replaced whole.
  values.sort((a, b) => b.length - a.length);
  return new RegExp(values.map(escapeRegExp).join('|'), 'g');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

interface KeyHolder {
  readonly keys: readonly { readonly secret: string }[];
}

const memo = new WeakMap<object, SecretRedactor>();

/** Every upstream key of a routing snapshot; one redactor per snapshot (rebuilt with it). */
export function redactorOfGroups(owner: { readonly groups: readonly KeyHolder[] }): SecretRedactor {
  let redactor = memo.get(owner);
  if (!redactor) {
    redactor = new SecretRedactor(owner.groups.flatMap((group) => group.keys.map((key) => key.secret)));
    memo.set(owner, redactor);
  }
  return redactor;
}

/** The upstream keys of one group (health checks); one redactor per group object. */
export function redactorOfGroup(group: KeyHolder): SecretRedactor {
  let redactor = memo.get(group);
  if (!redactor) {
    redactor = new SecretRedactor(group.keys.map((key) => key.secret));
    memo.set(group, redactor);
  }
  return redactor;
}
