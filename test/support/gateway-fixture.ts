import OpenAI from 'openai';
import { RoutingTable } from '../../src/routing/routing-table.js';
import type { TestApp } from './test-app.js';

export interface GroupSpec {
  groupName: string;
  baseUrl: string;
  apiKeys: string[];
  models: string[];
  providerType?: string;
  [field: string]: unknown;
}

/** Configures a running test app through its admin API, as an operator would. */
export class GatewayFixture {
  private constructor(
    readonly sut: TestApp,
    private readonly token: string,
  ) {}

  static async for(sut: TestApp): Promise<GatewayFixture> {
    return new GatewayFixture(sut, await sut.login());
  }

  admin() {
    const auth = (req: ReturnType<ReturnType<TestApp['http']>['get']>) =>
      req.set('Authorization', `Bearer ${this.token}`);
    return {
      get: (path: string) => auth(this.sut.http().get(path)),
      post: (path: string) => auth(this.sut.http().post(path)),
      put: (path: string) => auth(this.sut.http().put(path)),
      patch: (path: string) => auth(this.sut.http().patch(path)),
      delete: (path: string) => auth(this.sut.http().delete(path)),
    };
  }

  async createGroup(spec: GroupSpec): Promise<{ id: number; keys: Array<{ id: number; masked: string }> }> {
    const res = await this.admin()
      .post('/admin/groups')
      .send({ providerType: 'openai', ...spec });
    if (res.status !== 201)
      throw new Error(`creating group ${spec.groupName}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  async createProxyKey(body: Record<string, unknown> = {}): Promise<{ id: number; key: string }> {
    const res = await this.admin()
      .post('/admin/proxy-keys')
      .send({ name: `key-${Math.random().toString(36).slice(2, 8)}`, ...body });
    if (res.status !== 201) throw new Error(`creating proxy key: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** The official OpenAI SDK pointed at the gateway. */
  openai(apiKey: string, options: Partial<ConstructorParameters<typeof OpenAI>[0]> = {}): OpenAI {
    return new OpenAI({ apiKey, baseURL: `${this.sut.url}/v1`, maxRetries: 0, ...options });
  }

  routing(): RoutingTable {
    return this.sut.app.get(RoutingTable);
  }
}
