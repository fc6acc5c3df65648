// Model and group patterns: `*` matches any run of characters (slashes included, as in
// `meta-llama/*`), `?` exactly one; everything else is literal. Case-sensitive, whole string.

const CACHE_LIMIT = 1000;
const compiled = new Map<string, RegExp>();

export function isGlob(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

export function globToRegExp(pattern: string): RegExp {
  const source = Array.from(pattern, (char) =>
    char === '*' ? '.*' : char === '?' ? '.' : escapeRegExp(char),
  ).join('');
  return new RegExp(`^${source}$`, 's');
}

export function matchesGlob(pattern: string, value: string): boolean {
  if (!isGlob(pattern)) return pattern === value;
  let regExp = compiled.get(pattern);
  if (!regExp) {
    // Patterns come from configuration, so the cache stays small; the cap only guards against misuse.
    if (compiled.size >= CACHE_LIMIT) compiled.clear();
    regExp = globToRegExp(pattern);
    compiled.set(pattern, regExp);
  }
  return regExp.test(value);
}

export function matchesAny(patterns: readonly string[], value: string): boolean {
  return patterns.some((pattern) => matchesGlob(pattern, value));
}

/** Compiles a pattern list once: exact names by set lookup, globs as one alternation. */
export function globMatcher(patterns: readonly string[]): (value: string) => boolean {
  const exact = new Set(patterns.filter((pattern) => !isGlob(pattern)));
  const globs = patterns.filter(isGlob);
  if (globs.length === 0) return (value) => exact.has(value);
  const combined = new RegExp(globs.map((pattern) => `(?:${globToRegExp(pattern).source})`).join('|'), 's');
  return (value) => exact.has(value) || combined.test(value);
}

function escapeRegExp(char: string): string {
  return /[.*+?^${}()|[\]\\/-]/.test(char) ? `\\${char}` : char;
}
