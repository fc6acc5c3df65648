import type { UpstreamEndpoint, UpstreamTarget } from '../../adapter.js';
import { OpenAiAdapter } from '../openai/openai.adapter.js';
import { endpointSpec } from '../../endpoints.js';
import type { OpenAiDialect } from '../openai/openai.request.js';

/** Used when a group sets no `apiVersion`: the latest GA data-plane version. */
export const AZURE_DEFAULT_API_VERSION = '2024-10-21';

// Azure OpenAI: the model names a deployment in the path, the version is a query parameter, and
// the key travels in `api-key`. `baseUrl` is the resource origin, e.g. https://x.openai.azure.com.
function azureUrl(endpoint: UpstreamEndpoint, model: string, target: UpstreamTarget): string {
  const query = `?api-version=${encodeURIComponent(target.apiVersion ?? AZURE_DEFAULT_API_VERSION)}`;
  const spec = endpointSpec(endpoint);
  if (!spec.takesModel) return `${target.baseUrl}/openai${spec.openAiPath}${query}`;
  // The Responses API lives on Azure's v1 surface: no deployment in the path, no api-version.
  if (endpoint === 'responses') return `${target.baseUrl}/openai/v1${spec.openAiPath}`;
  return `${target.baseUrl}/openai/deployments/${encodeURIComponent(model)}${spec.openAiPath ?? ''}${query}`;
}

const AZURE_DIALECT: OpenAiDialect = {
  type: 'azure',
  url: azureUrl,
  authHeader: 'api-key',
  authValue: (apiKey) => apiKey,
  probeTokenLimit: 'max_tokens',
  endpoints: new Set(['chat', 'completions', 'embeddings', 'models', 'responses']),
};

export const azureAdapter = new OpenAiAdapter(AZURE_DIALECT);
