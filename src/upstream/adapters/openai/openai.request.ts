import type { ProbeSettings, ProviderType } from '../../provider-type.js';
import {
  HttpRequestSpec,
  UntranslatableRequestError,
  UpstreamEndpoint,
  UpstreamTarget,
} from '../../adapter.js';
import { ENDPOINTS } from '../../endpoints.js';

/** What sets one OpenAI-compatible provider type apart from another: where to send, how to authenticate. */
export interface OpenAiDialect {
  readonly type: ProviderType;
  /** The full URL of `endpoint`; `model` is the body's (empty for `models`). */
  url(endpoint: UpstreamEndpoint, model: string, target: UpstreamTarget): string;
  /** Lower-case name of the header that carries the key. */
  readonly authHeader: string;
  authValue(apiKey: string): string;
  /** The field a 1-token probe sets: OpenAI's newer models refuse `max_tokens`, older servers ignore its successor. */
  readonly probeTokenLimit: 'max_tokens' | 'max_completion_tokens';
  /** The endpoints this type serves (the Responses API only where the provider has it). */
  readonly endpoints: ReadonlySet<UpstreamEndpoint>;
}

// A group's headers must not replace the credentials or the framing undici computes, nor ask for
// a compressed body the proxy would then forward undecoded.
const PROTECTED_HEADERS = new Set([
  'authorization',
  'api-key',
  'host',
  'content-length',
  'content-type',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'accept-encoding',
]);

const PROBE_MESSAGES = [{ role: 'user', content: 'ping' }];

export function buildOpenAiRequest(
  dialect: OpenAiDialect,
  endpoint: UpstreamEndpoint,
  body: Readonly<Record<string, unknown>>,
  target: UpstreamTarget,
): HttpRequestSpec {
  if (!dialect.endpoints.has(endpoint))
    throw new UntranslatableRequestError(`${dialect.type} upstreams do not serve ${endpoint}`);
  const spec = ENDPOINTS[endpoint];
  if (!spec.takesModel) {
    return {
      method: spec.method,
      url: dialect.url(endpoint, '', target),
      headers: upstreamHeaders(dialect, target, false),
    };
  }
  const model = typeof body.model === 'string' ? body.model : '';
  return {
    method: 'POST',
    url: dialect.url(endpoint, model, target),
    headers: upstreamHeaders(dialect, target, true),
    body: JSON.stringify(body),
  };
}

/** `GET /models`, or a 1-token chat completion on `probe.model` (else `model`). */
export function buildOpenAiProbe(
  dialect: OpenAiDialect,
  target: UpstreamTarget,
  probe: ProbeSettings,
  model: string,
): HttpRequestSpec {
  if (probe.kind === 'models') return buildOpenAiRequest(dialect, 'models', {}, target);
  const body = { model: probe.model ?? model, messages: PROBE_MESSAGES, [dialect.probeTokenLimit]: 1 };
  return buildOpenAiRequest(dialect, 'chat', body, target);
}

function upstreamHeaders(
  dialect: OpenAiDialect,
  target: UpstreamTarget,
  withBody: boolean,
): Record<string, string> {
  const headers = groupHeaders(target);
  // A keyless group's slot (a local model server) sends no credentials at all.
  if (target.apiKey !== '') headers[dialect.authHeader] = dialect.authValue(target.apiKey);
  if (withBody) headers['content-type'] = 'application/json';
  return headers;
}

/** The group's extra headers, lower-cased, less those it may not set; the caller adds the credentials. */
export function groupHeaders(target: UpstreamTarget): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name in target.headers) {
    const lower = name.toLowerCase();
    if (!PROTECTED_HEADERS.has(lower)) headers[lower] = target.headers[name];
  }
  return headers;
}
