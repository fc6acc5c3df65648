import type { UpstreamEndpoint, UpstreamTarget } from '../../adapter.js';
import { OpenAiAdapter } from '../openai/openai.adapter.js';
import { ENDPOINTS } from '../../endpoints.js';
import type { OpenAiDialect } from '../openai/openai.request.js';

/** Used when a group sets no `apiVersion`: the latest GA data-plane version. */
export const AZURE_DEFAULT_API_VERSION = '2024-10-21';

// Azure OpenAI: the model names a deployment in the path, the version is a query parameter, and
// the key travels in `api-key`. `baseUrl` is the resource origin, e.g. https://x.openai.azure.com.
function azureUrl(endpoint: UpstreamEndpoint, model: string, target: UpstreamTarget): string {
  const query = `?api-version=${encodeURIComponent(target.apiVersion ?? AZURE_DEFAULT_API_VERSION)}`;
  const path = ENDPOINTS[endpoint].openAiPath;
  if (!ENDPOINTS[endpoint].takesModel) return `${target.baseUrl}/openai${path}${query}`;
  return `${target.baseUrl}/openai/deployments/${encodeURIComponent(model)}${path}${query}`;
}

const AZURE_DIALECT: OpenAiDialect = {
  type: 'azure',
  url: azureUrl,
  authHeader: 'api-key',
  authValue: (apiKey) => apiKey,
  probeTokenLimit: 'max_tokens',
};

export const azureAdapter = new OpenAiAdapter(AZURE_DIALECT);
