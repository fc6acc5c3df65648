import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';

// Validators for the group body's free-form objects. Each reports the first problem it finds,
// naming the offending entry but never echoing a value (a header value may be a credential).

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/;
// Visible ASCII, spaces and tabs: anything else would fail every upstream request at send time.
const HEADER_VALUE = /^[\t\x20-\x7e]*$/;
// Headers the gateway itself owns on every upstream request.
const RESERVED_HEADERS = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'upgrade',
  'keep-alive',
  'te',
  'trailer',
  'expect',
]);
// Body fields a group default may not set: they decide what is asked and where it goes.
const RESERVED_PARAMETERS = new Set(['model', 'messages', 'prompt', 'input', 'backend', 'stream']);

type Check = (value: unknown) => string | undefined;

function decorator(check: Check, options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => check(value) === undefined,
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property ?? 'value'} ${check(args?.value) ?? 'is invalid'}`,
      },
    });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `{alias: upstreamModel}`: non-empty strings both sides. */
export function IsModelMap(options?: ValidationOptions): PropertyDecorator {
  return decorator((value) => {
    if (!isObject(value)) return 'must be an object of alias → upstream model';
    const entries = Object.entries(value);
    if (entries.length > 1000) return 'may hold at most 1000 entries';
    for (const [alias, model] of entries) {
      if (alias.length === 0 || alias.length > 256) return 'aliases must be 1 to 256 characters';
      if (typeof model !== 'string' || model.length === 0 || model.length > 256)
        return `entry "${alias}" must map to a model name (1 to 256 characters)`;
    }
    return undefined;
  }, options);
}

/** Extra upstream headers: valid names, string values without line breaks. */
export function IsHeaderMap(options?: ValidationOptions): PropertyDecorator {
  return decorator((value) => {
    if (!isObject(value)) return 'must be an object of header name → string value';
    const entries = Object.entries(value);
    if (entries.length > 50) return 'may hold at most 50 headers';
    for (const [name, headerValue] of entries) {
      if (!HEADER_NAME.test(name)) return `has an invalid header name "${name.slice(0, 64)}"`;
      if (RESERVED_HEADERS.has(name.toLowerCase())) return `may not set "${name}": the gateway manages it`;
      if (typeof headerValue !== 'string' || headerValue.length > 8192 || !HEADER_VALUE.test(headerValue))
        return `value of "${name}" must be at most 8192 printable ASCII characters (no line breaks or control characters)`;
    }
    return undefined;
  }, options);
}

/** Default request parameters (temperature, max_tokens …), applied where the client left them out. */
export function IsParameterMap(options?: ValidationOptions): PropertyDecorator {
  return decorator((value) => {
    if (!isObject(value)) return 'must be an object of default request parameters';
    const reserved = Object.keys(value).find((name) => RESERVED_PARAMETERS.has(name));
    if (reserved) return `may not set "${reserved}"`;
    if (JSON.stringify(value).length > 16_384) return 'must be at most 16 KiB as JSON';
    return undefined;
  }, options);
}
