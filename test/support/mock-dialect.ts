import type { IncomingHttpHeaders } from 'node:http';
import { anthropicErrorBody, anthropicReplyTo } from './mock-anthropic-routes.js';
import { geminiErrorBody, geminiReplyTo } from './mock-gemini-routes.js';
import { MockReply, ReplyOptions, replyTo } from './mock-openai-routes.js';
import { responsesReplyTo } from './mock-openai-responses.js';
import { errorBody, OpenAiRequestBody } from './mock-openai-wire.js';

// Which provider's wire format a request to the mock upstream is in: Anthropic under /v1/messages
// (and /v1/models with an `anthropic-version` header), Gemini under /v1beta, OpenAI and Azure otherwise.

export type MockDialect = 'openai' | 'anthropic' | 'gemini';

export function dialectOf(path: string, headers: IncomingHttpHeaders): MockDialect {
  if (path.startsWith('/v1beta/')) return 'gemini';
  if (
    path.startsWith('/v1/messages') ||
    (path === '/v1/models' && headers['anthropic-version'] !== undefined)
  )
    return 'anthropic';
  return 'openai';
}

export function replyFor(
  dialect: MockDialect,
  method: string,
  path: string,
  query: string,
  body: OpenAiRequestBody,
  options: ReplyOptions,
): MockReply {
  switch (dialect) {
    case 'anthropic':
      return anthropicReplyTo(method, path, body, options);
    case 'gemini':
      return geminiReplyTo(method, path, query, body, options);
    default:
      if (method === 'POST' && path === '/v1/responses') return responsesReplyTo(body, options);
      return replyTo(method, path, query, body, options);
  }
}

/** The default error body of a `status` behavior, in the request's dialect. */
export function errorBodyFor(dialect: MockDialect, status: number): string {
  if (dialect === 'anthropic') return anthropicErrorBody(status);
  if (dialect === 'gemini') return geminiErrorBody(status);
  return errorBody(status);
}
