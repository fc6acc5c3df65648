// Paths pino blanks out of every log line: credentials in headers and any password-like field.
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers["api-key"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'password',
  '*.password',
  '*.*.password',
  'apiKey',
  'apiKeys',
  '*.apiKey',
  '*.apiKeys',
  'access_token',
  '*.access_token',
];

const SECRET_PATTERNS: RegExp[] = [
  /\bsk-[\w-]{6,}/g, // OpenAI-style and our own proxy keys
  /\bBearer\s+[\w.-]+/gi,
  /\beyJ[\w-]+\.[\w-]+\.[\w-]*/g, // JWTs
  /\bAIza[\w-]{20,}/g, // Google API keys
  /([?&](?:key|api_key|apikey|token)=)[^&\s"]+/gi,
];

/** Replaces anything that looks like a credential in free text (error messages, upstream bodies). */
export function redactSecrets(text: string): string {
  return SECRET_PATTERNS.reduce(
    (current, pattern) =>
      current.replace(pattern, (match, prefix?: string) =>
        typeof prefix === 'string' && match.startsWith(prefix) ? `${prefix}[redacted]` : '[redacted]',
      ),
    text,
  );
}

/**
 * Free text safe to store or send on: one line, secrets redacted, at most `max` characters (… marks
 * a cut). `redact` defaults to the shape patterns; pass a known-secrets redactor's `redact` for
 * upstream-derived text (it runs before the cut, so no partial key survives it).
 */
export function oneLineRedacted(
  text: string,
  max = 500,
  redact: (text: string) => string = redactSecrets,
): string {
  const clean = redact(text.replace(/\s+/g, ' ').trim());
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}
