import type { IncomingHttpHeaders } from 'node:http';
import { endpointSpec, type ModelEndpoint } from '../upstream/endpoints.js';
import { ProxyError } from './proxy-error.js';

/** Body fields the gateway reads or refuses; everything else passes through untouched. */
const GATEWAY_ONLY_FIELDS = ['backend'];
// Fields some SDKs and gateways use to steer the upstream connection: never honoured, never forwarded.
const CONNECTION_STEERING_FIELDS = [
  'api_base',
  'base_url',
  'api_key',
  'api_version',
  'api_type',
  'azure_endpoint',
  'custom_llm_provider',
  'extra_headers',
  'extra_query',
];
const REMOVED_FIELDS = [...GATEWAY_ONLY_FIELDS, ...CONNECTION_STEERING_FIELDS];

/** One validated client request to a model endpoint. */
export interface ProxyRequest {
  readonly endpoint: ModelEndpoint;
  /** The client's body without gateway-only and connection-steering fields. */
  readonly body: Readonly<Record<string, unknown>>;
  readonly model: string;
  readonly stream: boolean;
  /** `backend`: pin the request to this group. */
  readonly backend?: string;
  /** `x-session-id` header or the body's `user`: sticky routing. */
  readonly sessionId?: string;
  /** The client asked for stream usage itself (so the usage chunk is theirs to see). */
  readonly clientWantsStreamUsage: boolean;
  /** The client's headers: translating adapters forward the few their provider defines (`anthropic-beta`). */
  readonly headers: IncomingHttpHeaders;
}

/**
 * Validates only what the gateway reads (STYLE.md: no whitelisting DTO on the hot path) and strips
 * the fields that must not reach the upstream. Mutates and returns the parsed body object, which
 * nobody else holds, to avoid copying it.
 */
export function toProxyRequest(
  endpoint: ProxyRequest['endpoint'],
  body: Record<string, unknown>,
  headers: IncomingHttpHeaders,
): ProxyRequest {
  const { model, stream, backend } = body;
  if (typeof model !== 'string' || model.trim() === '')
    throw invalid('you must provide a model parameter', 'model');
  if (stream !== undefined && stream !== null && typeof stream !== 'boolean')
    throw invalid('stream must be a boolean', 'stream');
  if (backend !== undefined && (typeof backend !== 'string' || backend === ''))
    throw invalid('backend must be the name of a configured group', 'backend');
  const spec = endpointSpec(endpoint);
  const required = spec.requiredField;
  if (required?.array && !Array.isArray(body[required.name]))
    throw invalid(`${required.name} must be an array`, required.name);
  if (required && !required.array && body[required.name] === undefined)
    throw invalid(`you must provide a ${required.name} parameter`, required.name);
  const isStream = stream === true && spec.streams;

  for (const field of REMOVED_FIELDS) if (field in body) delete body[field];

  const session = headers['x-session-id'];
  const sessionId =
    typeof session === 'string' && session !== ''
      ? session
      : typeof body.user === 'string' && body.user !== ''
        ? body.user
        : undefined;
  const streamOptions = body.stream_options as { include_usage?: unknown } | undefined;
  return {
    endpoint,
    body,
    model,
    stream: isStream,
    backend: backend as string | undefined,
    sessionId,
    clientWantsStreamUsage: streamOptions?.include_usage === true,
    headers,
  };
}

/**
 * The body one group receives: its model name (`modelMap`), its default `parameters` where the
 * client left them out, and for streams `stream_options.include_usage` so usage is always counted.
 */
export function upstreamBodyFor(
  request: ProxyRequest,
  upstreamModel: string,
  defaults: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const body: Record<string, unknown> = { ...request.body, model: upstreamModel };
  for (const name in defaults) if (body[name] === undefined) body[name] = defaults[name];
  // Only OpenAI's chat and completions report stream usage on request; the other APIs always do.
  const asksForUsage = request.endpoint === 'chat' || request.endpoint === 'completions';
  if (request.stream && asksForUsage && !request.clientWantsStreamUsage) {
    body.stream_options = { ...(body.stream_options as object | undefined), include_usage: true };
  }
  return body;
}

function invalid(message: string, param: string): ProxyError {
  return new ProxyError('invalid_request', `Invalid request: ${message}.`, {}, param);
}
