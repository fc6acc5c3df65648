import type { ReplyHeaders, UpstreamAdapter, UpstreamEndpoint } from './adapter.js';
import { AttemptClassification, classifyAttempt } from './upstream-error.js';

/** A non-2xx upstream reply, read: what it means, and what the client gets if it is theirs. */
export interface ReplyVerdict {
  readonly outcome: AttemptClassification;
  /** The body a client error is answered with: the adapter's translation, else the text as received. */
  readonly clientBody: string;
  /** `clientBody` is the adapter's JSON, not the upstream's bytes. */
  readonly translated: boolean;
}

/**
 * Classifies a failed reply from its status and headers and, through the adapter, from the
 * provider's own signals (error types, reasons in the body). Pure; the caller reads the body.
 */
export function classifyReply(
  adapter: UpstreamAdapter,
  endpoint: UpstreamEndpoint,
  status: number,
  headers: ReplyHeaders,
  text: string,
  now: number = Date.now(),
): ReplyVerdict {
  const reading = adapter.readError?.(endpoint, status, headers, parseJson(text), now);
  const outcome = classifyAttempt({
    status: reading?.status ?? status,
    retryAfterHeader: headers['retry-after'],
    retryAfterMsHeader: headers['retry-after-ms'],
    retryAfterMs: reading?.retryAfterMs,
    now,
  });
  return reading?.clientBody === undefined
    ? { outcome, clientBody: text, translated: false }
    : { outcome, clientBody: JSON.stringify(reading.clientBody), translated: true };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
