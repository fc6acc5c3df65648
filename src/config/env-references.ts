// `${NAME}` references in the configuration file, resolved from the environment at start, so that
// no secret has to be written into the file. Pure.

type Env = Record<string, string | undefined>;

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

export interface ResolvedReferences<T> {
  readonly value: T;
  /** One per reference to a variable that is unset or empty, naming the variable and where. */
  readonly problems: string[];
}

/** Whether a string holds at least one `${NAME}` reference. */
export function hasEnvReference(text: string): boolean {
  return new RegExp(REFERENCE.source).test(text);
}

/**
 * Replaces every `${NAME}` inside every string of a JSON tree with that variable's value. `path`
 * names the place in the file for the messages, which never hold a value, only a variable's name.
 */
export function resolveEnvReferences<T>(tree: T, env: Env, path = ''): ResolvedReferences<T> {
  const problems: string[] = [];
  const visit = (value: unknown, at: string): unknown => {
    if (typeof value === 'string') return substitute(value, env, at, problems);
    if (Array.isArray(value)) return value.map((item, index) => visit(item, `${at}[${index}]`));
    if (typeof value === 'object' && value !== null)
      return Object.fromEntries(
        Object.entries(value).map(([key, inner]) => [key, visit(inner, at ? `${at}.${key}` : key)]),
      );
    return value;
  };
  return { value: visit(tree, path) as T, problems };
}

function substitute(text: string, env: Env, at: string, problems: string[]): string {
  return text.replace(REFERENCE, (reference, name: string) => {
    const value = env[name];
    if (value !== undefined && value !== '') return value;
    problems.push(`${at} refers to the environment variable ${name}, which is not set`);
    return reference;
  });
}
