// How a secret is shown anywhere outside the upstream client: `sk-…abcd`. Only the well-known,
// non-secret `sk-` prefix and the last four characters are kept, and nothing of a short secret.

const VISIBLE_TAIL = 4;
const MIN_LENGTH_FOR_TAIL = 12;

export function maskSecret(secret: string): string {
  const prefix = secret.startsWith('sk-') ? 'sk-' : '';
  const tail = secret.length >= MIN_LENGTH_FOR_TAIL ? secret.slice(-VISIBLE_TAIL) : '';
  return `${prefix}…${tail}`;
}
