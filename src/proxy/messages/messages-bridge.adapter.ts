import type { ProbeSettings } from '../../upstream/provider-type.js';
import type {
  ClientHeaders,
  HttpRequestSpec,
  ParsedResponse,
  ReplyHeaders,
  StreamTranslator,
  UpstreamAdapter,
  UpstreamEndpoint,
  UpstreamErrorReading,
  UpstreamTarget,
} from '../../upstream/adapter.js';
import { isObject } from '../../upstream/adapters/common/chat-request.js';
import { anthropicError } from './anthropic-errors.js';
import { chatToMessage } from './chat-to-message.js';
import { ChatToMessageStream } from './chat-to-message-stream.js';
import { messagesToChat } from './messages-to-chat.js';

const CHAT_ONLY: ReadonlySet<UpstreamEndpoint> = new Set(['messages']);

/**
 * `/v1/messages` on a group whose adapter speaks OpenAI chat (natively or translated): the
 * Anthropic request becomes a chat request for that adapter, its chat answer an Anthropic one.
 */
export class MessagesBridgeAdapter implements UpstreamAdapter {
  readonly type: UpstreamAdapter['type'];
  readonly passthrough = false;
  readonly endpoints = CHAT_ONLY;
  private readonly tokenLimitField: 'max_tokens' | 'max_completion_tokens';

  constructor(private readonly inner: UpstreamAdapter) {
    this.type = inner.type;
    // OpenAI's and Azure's newer models refuse `max_tokens`; other servers may not know its successor.
    this.tokenLimitField =
      inner.type === 'openai' || inner.type === 'azure' ? 'max_completion_tokens' : 'max_tokens';
  }

  buildRequest(
    _endpoint: UpstreamEndpoint,
    body: Readonly<Record<string, unknown>>,
    target: UpstreamTarget,
    clientHeaders?: ClientHeaders,
  ): HttpRequestSpec {
    return this.inner.buildRequest('chat', messagesToChat(body, this.tokenLimitField), target, clientHeaders);
  }

  parseResponse(_endpoint: UpstreamEndpoint, status: number, body: unknown): ParsedResponse {
    const chat = this.inner.parseResponse('chat', status, body);
    return status >= 200 && status < 300 ? { body: chatToMessage(chat.body), usage: chat.usage } : chat;
  }

  readError(
    _endpoint: UpstreamEndpoint,
    status: number,
    headers: ReplyHeaders,
    body: unknown,
    now: number,
  ): UpstreamErrorReading {
    const reading = this.inner.readError?.('chat', status, headers, body, now) ?? { status };
    if (status < 400 || status >= 500 || status === 401 || status === 403 || status === 408 || status === 429)
      return { status: reading.status, retryAfterMs: reading.retryAfterMs };
    return {
      ...reading,
      clientBody: anthropicError(status, errorMessage(reading.clientBody ?? body, status)),
    };
  }

  createStreamTranslator(): StreamTranslator {
    return new ChatToMessageStream(
      this.inner.createStreamTranslator({ stripUsageOnlyChunk: false, endpoint: 'chat' }),
    );
  }

  buildProbe(target: UpstreamTarget, probe: ProbeSettings, model: string): HttpRequestSpec {
    return this.inner.buildProbe(target, probe, model);
  }
}

function errorMessage(body: unknown, status: number): string {
  const error = isObject(body) ? body.error : undefined;
  if (isObject(error) && typeof error.message === 'string') return error.message;
  if (typeof body === 'string' && body !== '') return body.slice(0, 500);
  return `The upstream answered ${status}.`;
}
