import type { OpenAPIObject } from '@nestjs/swagger';
import { ENDPOINTS, endpointSpec, MODEL_ENDPOINTS } from '../upstream/endpoints.js';

// The /v1 routes bypass Nest's router (see mount-proxy-entry.ts), so Swagger cannot discover
// them; they are described here. Bodies are OpenAI's: only what the gateway reads is listed.

type PathItem = OpenAPIObject['paths'][string];

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/OpenAiError' } } },
});

const commonResponses = {
  '400': errorResponse('Invalid request (not JSON, missing model, wrong types, unknown backend)'),
  '401': errorResponse('Missing, unknown, disabled or expired proxy key'),
  '403': errorResponse('Model or backend not allowed for this key'),
  '404': errorResponse('No group serves this model'),
  '413': errorResponse('Body larger than BODY_LIMIT'),
  '429': errorResponse(
    'Over the key RPM/TPM or token budget, or every upstream rate limited (see Retry-After)',
  ),
  '502': errorResponse('Every attempt failed upstream'),
  '503': errorResponse('No healthy backend could be tried'),
  '504': errorResponse('The upstream timed out'),
};

const anthropicError = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/AnthropicError' } } },
});

// The same statuses in Anthropic's error shape, for /v1/messages.
const anthropicResponses = Object.fromEntries(
  Object.entries(commonResponses).map(([status, response]) => [status, anthropicError(response.description)]),
);

const modelRequest = (
  summary: string,
  required: string[],
  description: string | undefined,
  surface: 'openai' | 'anthropic' = 'openai',
): PathItem => ({
  post: {
    tags: [surface === 'openai' ? 'v1: OpenAI-compatible' : 'v1: Anthropic-compatible'],
    summary,
    description,
    security: [{ proxyKey: [] }],
    requestBody: {
      required: true,
      content: {
        'application/json': {
          schema: {
            type: 'object',
            required,
            additionalProperties: true,
            properties: {
              model: { type: 'string', example: 'gpt-4o-mini' },
              stream: { type: 'boolean' },
              backend: {
                type: 'string',
                description: 'Gateway-only: pin the request to this group (never forwarded).',
              },
            },
          },
        },
      },
    },
    parameters: [
      {
        name: 'x-session-id',
        in: 'header',
        required: false,
        schema: { type: 'string' },
        description: 'Sticky routing to one upstream key',
      },
      { name: 'x-request-id', in: 'header', required: false, schema: { type: 'string' } },
    ],
    responses: {
      '200': {
        description:
          'The upstream answer (JSON, or text/event-stream with `stream: true`); headers x-switchyard-backend, x-switchyard-attempts',
      },
      ...(surface === 'openai' ? commonResponses : anthropicResponses),
    },
  },
});

const modelsList: PathItem = {
  get: {
    tags: ['v1: OpenAI-compatible'],
    summary: ENDPOINTS.models.openApi.summary,
    security: [{ proxyKey: [] }],
    responses: {
      '200': { description: '{"object":"list","data":[{"id","object":"model","created","owned_by"}]}' },
      '401': commonResponses['401'],
    },
  },
};

const oneModel: PathItem = {
  get: {
    tags: ['v1: OpenAI-compatible'],
    summary: 'One model, if this key may use it',
    security: [{ proxyKey: [] }],
    parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
    responses: {
      '200': { description: '{"id","object":"model","created","owned_by"}' },
      '401': commonResponses['401'],
      '404': commonResponses['404'],
    },
  },
};

/** Adds the /v1 API to the generated OpenAPI document. */
export function addProxyPaths(document: OpenAPIObject): OpenAPIObject {
  const modelPaths = MODEL_ENDPOINTS.map((endpoint) => {
    const { path, openApi } = endpointSpec(endpoint);
    const required = [...(openApi.required ?? ['model'])];
    return [path, modelRequest(openApi.summary, required, openApi.description, openApi.errors)] as const;
  });
  document.paths = {
    ...Object.fromEntries(modelPaths),
    [ENDPOINTS.models.path]: modelsList,
    [`${ENDPOINTS.models.path}/{id}`]: oneModel,
    ...document.paths,
  };
  document.components ??= {};
  document.components.securitySchemes = {
    ...document.components.securitySchemes,
    proxyKey: {
      type: 'http',
      scheme: 'bearer',
      description: 'A Switchyard proxy key (sk-sy-…); also accepted in x-api-key or api-key',
    },
  };
  document.components.schemas = {
    ...document.components.schemas,
    AnthropicError: {
      type: 'object',
      properties: {
        type: { type: 'string', example: 'error' },
        error: {
          type: 'object',
          properties: { type: { type: 'string', example: 'not_found_error' }, message: { type: 'string' } },
        },
      },
    },
    OpenAiError: {
      type: 'object',
      properties: {
        error: {
          type: 'object',
          properties: {
            message: { type: 'string' },
            type: { type: 'string' },
            param: { type: 'string', nullable: true },
            code: { type: 'string' },
          },
        },
      },
    },
  };
  return document;
}
