// Sticky sessions (ROUTING.md): requests of one session (`x-session-id`, or the OpenAI `user`
// field) go to the same key while it stays available, which keeps upstream prompt caches warm.
// Rendezvous (highest-random-weight) hashing: every key gets a score for the session and the
// highest available one wins, so keys coming and going only move the sessions that they win.

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a, 32 bits, over the UTF-16 code units of the session id. */
export function sessionHash(sessionId: string): number {
  let hash = FNV_OFFSET;
  for (let i = 0; i < sessionId.length; i += 1) {
    hash ^= sessionId.charCodeAt(i);
    hash = Math.imul(hash, FNV_PRIME);
  }
  return hash >>> 0;
}

/** The session's score for one key id: a well-mixed 32-bit integer (murmur3's finaliser). */
export function rendezvousScore(session: number, id: number): number {
  let h = (session ^ Math.imul(id, 0x9e3779b1)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The item a session sticks to among `items` (already filtered to available ones). */
export function stickyChoice<T>(
  session: number,
  items: readonly T[],
  idOf: (item: T) => number,
): T | undefined {
  let chosen: T | undefined;
  let best = -1;
  for (const item of items) {
    const score = rendezvousScore(session, idOf(item));
    if (score > best) {
      best = score;
      chosen = item;
    }
  }
  return chosen;
}
