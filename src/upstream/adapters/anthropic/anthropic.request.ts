import type { ProbeSettings } from '../../provider-type.js';
import {
  ClientHeaders,
  HttpRequestSpec,
  UntranslatableRequestError,
  UpstreamEndpoint,
  UpstreamTarget,
} from '../../adapter.js';
import {
  chatMessages,
  functionTools,
  jsonFormatOf,
  maxTokensOf,
  numberField,
  stopSequencesOf,
  ToolChoice,
  toolChoiceOf,
} from '../common/chat-request.js';
import { groupHeaders } from '../openai/openai.request.js';
import { toAnthropicConversation } from './anthropic.messages.js';

// An OpenAI chat request → Anthropic Messages (https://docs.anthropic.com/en/api/messages).

export const ANTHROPIC_VERSION = '2023-06-01';
/** Anthropic requires `max_tokens`; used when neither the client nor the group's parameters set it. */
export const DEFAULT_MAX_TOKENS = 4096;

const JSON_INSTRUCTION = 'Respond only with a single valid JSON object, without any text before or after it.';

export function buildAnthropicRequest(
  endpoint: UpstreamEndpoint,
  body: Readonly<Record<string, unknown>>,
  target: UpstreamTarget,
  clientHeaders?: ClientHeaders,
): HttpRequestSpec {
  if (endpoint === 'models')
    return { method: 'GET', url: `${target.baseUrl}/models`, headers: anthropicHeaders(target, false) };
  if (endpoint === 'messages' || endpoint === 'count_tokens')
    return {
      method: 'POST',
      url: `${target.baseUrl}/messages${endpoint === 'count_tokens' ? '/count_tokens' : ''}`,
      headers: anthropicHeaders(target, true, clientHeaders, true),
      body: JSON.stringify(body), // the client speaks Anthropic already
    };
  if (endpoint !== 'chat')
    throw new UntranslatableRequestError(`Anthropic upstreams do not serve ${endpoint}`);
  return {
    method: 'POST',
    url: `${target.baseUrl}/messages`,
    headers: anthropicHeaders(target, true, clientHeaders),
    body: JSON.stringify(toAnthropicBody(body)),
  };
}

/** `GET /models`, or a 1-token message on `probe.model` (else `model`). */
export function buildAnthropicProbe(
  target: UpstreamTarget,
  probe: ProbeSettings,
  model: string,
): HttpRequestSpec {
  if (probe.kind === 'models') return buildAnthropicRequest('models', {}, target);
  return {
    method: 'POST',
    url: `${target.baseUrl}/messages`,
    headers: anthropicHeaders(target, true),
    body: JSON.stringify({
      model: probe.model ?? model,
      max_tokens: 1,
      messages: [{ role: 'user', content: 'ping' }],
    }),
  };
}

export function toAnthropicBody(body: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const n = body.n;
  if (typeof n === 'number' && n > 1)
    throw new UntranslatableRequestError('Anthropic upstreams return one choice: n must be 1', 'n');
  const { system, messages } = toAnthropicConversation(chatMessages(body));
  const json = jsonFormatOf(body);
  const instructions = [system, json && jsonInstruction(json.schema)].filter(Boolean).join('\n\n');
  const tools = functionTools(body);
  const out: Record<string, unknown> = {
    model: body.model,
    max_tokens: maxTokensOf(body) ?? DEFAULT_MAX_TOKENS,
    messages,
  };
  if (instructions !== '') out.system = instructions;
  setIfDefined(out, 'stop_sequences', stopSequencesOf(body));
  setIfDefined(out, 'temperature', numberField(body, 'temperature'));
  setIfDefined(out, 'top_p', numberField(body, 'top_p'));
  if (tools && tools.length > 0)
    out.tools = tools.map((tool) => ({
      name: tool.name,
      ...(tool.description ? { description: tool.description } : {}),
      input_schema: tool.parameters ?? { type: 'object', properties: {} },
    }));
  const choice = toolChoiceOf(body);
  if (choice && tools && tools.length > 0)
    out.tool_choice = anthropicToolChoice(choice, body.parallel_tool_calls);
  if (typeof body.user === 'string' && body.user !== '') out.metadata = { user_id: body.user };
  if (body.stream === true) out.stream = true;
  return out;
}

function anthropicToolChoice(choice: ToolChoice, parallel: unknown): Record<string, unknown> {
  const single = parallel === false ? { disable_parallel_tool_use: true } : {};
  switch (choice.mode) {
    case 'none':
      return { type: 'none' };
    case 'auto':
      return { type: 'auto', ...single };
    case 'required':
      return { type: 'any', ...single };
    case 'function':
      return { type: 'tool', name: choice.name, ...single };
  }
}

// Anthropic's documented way to JSON output without a tool: ask for it in the system prompt.
function jsonInstruction(schema: Record<string, unknown> | undefined): string {
  return schema === undefined
    ? JSON_INSTRUCTION
    : `${JSON_INSTRUCTION} It must conform to this JSON Schema: ${JSON.stringify(schema)}`;
}

function anthropicHeaders(
  target: UpstreamTarget,
  withBody: boolean,
  clientHeaders?: ClientHeaders,
  clientVersion = false,
): Record<string, string> {
  const headers = groupHeaders(target);
  headers['x-api-key'] = target.apiKey;
  // An Anthropic client's own `anthropic-version` wins: its body is written for that version.
  const version = clientVersion ? clientHeaders?.['anthropic-version'] : undefined;
  headers['anthropic-version'] = typeof version === 'string' && version !== '' ? version : ANTHROPIC_VERSION;
  const beta = clientHeaders?.['anthropic-beta'];
  if (beta !== undefined) headers['anthropic-beta'] = typeof beta === 'string' ? beta : beta.join(',');
  if (withBody) headers['content-type'] = 'application/json';
  return headers;
}

function setIfDefined(out: Record<string, unknown>, name: string, value: unknown): void {
  if (value !== undefined) out[name] = value;
}
