import { UntranslatableRequestError } from '../../adapter.js';

// Reading an OpenAI chat request for the adapters that translate it to another provider's format.

export interface ChatMessage {
  readonly role: string;
  readonly content?: unknown;
  readonly tool_calls?: unknown;
  readonly tool_call_id?: unknown;
}

export interface ToolCall {
  readonly id: string;
  readonly name: string;
  /** The parsed JSON arguments (an object). */
  readonly input: Record<string, unknown>;
}

/** A content part the translating adapters understand: text, or an image by data URL or link. */
export type ContentPart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'image-data'; readonly mediaType: string; readonly data: string }
  | { readonly kind: 'image-url'; readonly url: string };

export interface FunctionTool {
  readonly name: string;
  readonly description?: string;
  readonly parameters?: Record<string, unknown>;
}

/** `tool_choice` in neutral terms. */
export type ToolChoice =
  { readonly mode: 'auto' | 'none' | 'required' } | { readonly mode: 'function'; readonly name: string };

const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;

export function chatMessages(body: Readonly<Record<string, unknown>>): ChatMessage[] {
  const { messages } = body;
  if (!Array.isArray(messages)) throw new UntranslatableRequestError('messages must be an array', 'messages');
  return messages.map((message: unknown, i) => {
    if (typeof message !== 'object' || message === null || typeof (message as ChatMessage).role !== 'string')
      throw new UntranslatableRequestError(`messages[${i}] must be an object with a role`, 'messages');
    return message as ChatMessage;
  });
}

/** A message's content as parts; a string is one text part, null or absent none. */
export function contentParts(content: unknown, at: string): ContentPart[] {
  if (content === undefined || content === null) return [];
  if (typeof content === 'string') return content === '' ? [] : [{ kind: 'text', text: content }];
  if (!Array.isArray(content))
    throw new UntranslatableRequestError(`${at}.content must be a string or an array`, 'messages');
  const parts: ContentPart[] = [];
  for (const part of content as Array<Record<string, unknown>>) {
    if (part?.type === 'text' && typeof part.text === 'string') {
      if (part.text !== '') parts.push({ kind: 'text', text: part.text });
    } else if (part?.type === 'image_url') {
      parts.push(imagePart(part.image_url, at));
    } else {
      throw new UntranslatableRequestError(
        `${at}: content parts of type ${String(part?.type)} cannot be sent to this provider`,
        'messages',
      );
    }
  }
  return parts;
}

/** A message's text (tool results, system prompts): its text parts joined. */
export function contentText(content: unknown, at: string): string {
  return contentParts(content, at)
    .map((part) => {
      if (part.kind !== 'text')
        throw new UntranslatableRequestError(`${at}: only text is allowed here`, 'messages');
      return part.text;
    })
    .join('\n');
}

export function toolCallsOf(message: ChatMessage, at: string): ToolCall[] {
  if (!Array.isArray(message.tool_calls)) return [];
  return (message.tool_calls as Array<Record<string, unknown>>).map((call, i) => {
    const fn = call?.function as { name?: unknown; arguments?: unknown } | undefined;
    if (typeof call?.id !== 'string' || typeof fn?.name !== 'string')
      throw new UntranslatableRequestError(
        `${at}.tool_calls[${i}] needs an id and a function name`,
        'messages',
      );
    return { id: call.id, name: fn.name, input: parseArguments(fn.arguments, `${at}.tool_calls[${i}]`) };
  });
}

export function functionTools(body: Readonly<Record<string, unknown>>): FunctionTool[] | undefined {
  const { tools } = body;
  if (tools === undefined || tools === null) return undefined;
  if (!Array.isArray(tools)) throw new UntranslatableRequestError('tools must be an array', 'tools');
  return (tools as Array<Record<string, unknown>>).map((tool, i) => {
    const fn = tool?.function as Record<string, unknown> | undefined;
    if (tool?.type !== 'function' || typeof fn?.name !== 'string')
      throw new UntranslatableRequestError(`tools[${i}] must be a function tool with a name`, 'tools');
    return {
      name: fn.name,
      description: typeof fn.description === 'string' ? fn.description : undefined,
      parameters: isObject(fn.parameters) ? fn.parameters : undefined,
    };
  });
}

export function toolChoiceOf(body: Readonly<Record<string, unknown>>): ToolChoice | undefined {
  const choice = body.tool_choice;
  if (choice === undefined || choice === null) return undefined;
  if (choice === 'auto' || choice === 'none' || choice === 'required') return { mode: choice };
  const name = (choice as { function?: { name?: unknown } }).function?.name;
  if (typeof name === 'string') return { mode: 'function', name };
  throw new UntranslatableRequestError(
    'tool_choice must be auto, none, required or a named function',
    'tool_choice',
  );
}

/** `max_tokens`, else its newer name `max_completion_tokens`. */
export function maxTokensOf(body: Readonly<Record<string, unknown>>): number | undefined {
  const value = body.max_tokens ?? body.max_completion_tokens;
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

export function stopSequencesOf(body: Readonly<Record<string, unknown>>): string[] | undefined {
  const { stop } = body;
  if (typeof stop === 'string') return [stop];
  if (Array.isArray(stop)) return stop.filter((entry): entry is string => typeof entry === 'string');
  return undefined;
}

/** `response_format`: JSON wanted, with a schema or without. */
export function jsonFormatOf(
  body: Readonly<Record<string, unknown>>,
): { readonly schema?: Record<string, unknown> } | undefined {
  const format = body.response_format as { type?: unknown; json_schema?: { schema?: unknown } } | undefined;
  if (format?.type === 'json_object') return {};
  if (format?.type === 'json_schema')
    return { schema: isObject(format.json_schema?.schema) ? format.json_schema.schema : undefined };
  return undefined;
}

export function numberField(body: Readonly<Record<string, unknown>>, name: string): number | undefined {
  const value = body[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function imagePart(image: unknown, at: string): ContentPart {
  const url = typeof image === 'string' ? image : (image as { url?: unknown } | undefined)?.url;
  if (typeof url !== 'string')
    throw new UntranslatableRequestError(`${at}: image_url needs a url`, 'messages');
  const data = DATA_URL.exec(url);
  if (data) return { kind: 'image-data', mediaType: data[1], data: data[2] };
  if (/^https?:\/\//i.test(url)) return { kind: 'image-url', url };
  throw new UntranslatableRequestError(
    `${at}: an image must be a base64 data URL or an http(s) URL`,
    'messages',
  );
}

function parseArguments(raw: unknown, at: string): Record<string, unknown> {
  if (raw === undefined || raw === '') return {};
  if (isObject(raw)) return raw;
  try {
    const parsed: unknown = JSON.parse(String(raw));
    if (isObject(parsed)) return parsed;
  } catch {
    // falls through to the error below
  }
  throw new UntranslatableRequestError(`${at}.function.arguments must be a JSON object`, 'messages');
}
