import type { OpenAPIObject } from '@nestjs/swagger';
import { ENDPOINTS, endpointSpec, MODEL_ENDPOINTS } from '../upstream/endpoints.js';
import { addProxyPaths } from './openapi-paths.js';

describe(addProxyPaths.name, () => {
  const sut = () =>
    addProxyPaths({ openapi: '3.0.0', info: { title: 't', version: '1' }, paths: {} } as OpenAPIObject);

  it('documents every endpoint of the table, model endpoints with their required fields', () => {
    const { paths } = sut();
    expect(MODEL_ENDPOINTS).toEqual([
      'chat',
      'completions',
      'embeddings',
      'responses',
      'messages',
      'count_tokens',
    ]);
    for (const endpoint of MODEL_ENDPOINTS) {
      const { path, openApi } = endpointSpec(endpoint);
      const post = paths[path].post!;
      expect(post.summary).toBe(openApi.summary);
      const body = post.requestBody as { content: Record<string, { schema: { required: string[] } }> };
      expect(body.content['application/json'].schema.required).toEqual(openApi.required);
    }
    expect(paths[ENDPOINTS.models.path].get?.summary).toBe(ENDPOINTS.models.openApi.summary);
    expect(paths[`${ENDPOINTS.models.path}/{id}`].get).toBeDefined();
  });
});
