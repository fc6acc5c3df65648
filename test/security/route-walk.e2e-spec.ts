import { describeEachEngine } from '../support/engines.js';
import { startTestApp, TestApp } from '../support/test-app.js';

interface Route {
  method: string;
  /** With parameters filled in. */
  path: string;
}

// The documented public set (docs/security.md): everything else needs the admin JWT, or on /v1 a
// proxy key.
const PUBLIC_ROUTES = new Set([
  'POST /admin/auth/login',
  'GET /health',
  'GET /health/live',
  'GET /health/ready',
  'GET /metrics',
]);
const PUBLIC_PREFIXES = ['/swagger', '/dashboard'];

const isPublic = (route: Route) =>
  PUBLIC_ROUTES.has(`${route.method} ${route.path}`) ||
  PUBLIC_PREFIXES.some(
    (prefix) =>
      route.path === prefix || route.path.startsWith(`${prefix}/`) || route.path.startsWith(`${prefix}-`),
  );

/** `/admin/groups/:id/keys/{keyId}` → `/admin/groups/1/keys/1`; wildcards → `x`. */
const filled = (path: string) => path.replace(/\{\*\w+\}/g, 'x').replace(/:\w+|\{\w+\}/g, '1');

/** Other spellings of the same path a lenient router might route to the same handler. */
function spellings(path: string): string[] {
  const [, first, rest] = /^\/([^/]+)(.*)$/.exec(path) ?? [];
  const percent = `%${first.charCodeAt(0).toString(16)}${first.slice(1)}`;
  return [
    path.toUpperCase(),
    `/${first[0].toUpperCase()}${first.slice(1)}${rest}`,
    `/${first}/${rest}`, // a doubled slash after the first segment
    `/${percent}${rest}`,
    `${path}/`,
  ];
}

function registeredRoutes(sut: TestApp): Route[] {
  // Express 5 keeps the registered routes on its router's stack; only the fields read here are typed.
  const express = sut.app.getHttpAdapter().getInstance() as {
    router: { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> };
  };
  return express.router.stack.flatMap(({ route }) =>
    route
      ? Object.keys(route.methods).map((method) => ({
          method: method.toUpperCase(),
          path: filled(route.path),
        }))
      : [],
  );
}

async function documentedRoutes(sut: TestApp): Promise<Route[]> {
  const doc = await sut.http().get('/swagger-json').expect(200);
  return Object.entries(doc.body.paths as Record<string, Record<string, unknown>>).flatMap(
    ([path, operations]) =>
      Object.keys(operations).map((method) => ({ method: method.toUpperCase(), path: filled(path) })),
  );
}

describeEachEngine('route walk', (engine) => {
  let sut: TestApp;
  let routes: Route[];

  beforeAll(async () => {
    sut = await startTestApp({ engine });
    const all = [...registeredRoutes(sut), ...(await documentedRoutes(sut))];
    routes = [...new Map(all.map((route) => [`${route.method} ${route.path}`, route])).values()];
  });
  afterAll(() => sut.close());

  const send = (route: Route, path = route.path) => {
    const req = sut.http()[route.method.toLowerCase() as 'get'](path);
    return route.method === 'GET' || route.method === 'DELETE' ? req : req.send({});
  };

  it('finds every controller route and every documented route (a route added later is walked too)', () => {
    expect(routes.length).toBeGreaterThan(40);
    for (const expected of [
      'GET /admin/groups',
      'POST /admin/proxy-keys',
      'GET /api/providers/health',
      'POST /v1/chat/completions',
    ])
      expect(routes.map((r) => `${r.method} ${r.path}`)).toContain(expected);
  });

  it('refuses every non-public route without a token (401), and only the documented routes are public', async () => {
    const open: string[] = [];
    for (const route of routes) {
      const res = await send(route);
      if (res.status !== 401) open.push(`${route.method} ${route.path} → ${res.status}`);
    }
    const unexpected = open.filter(
      (line) => !isPublic({ method: line.split(' ')[0], path: line.split(' ')[1] }),
    );
    expect(unexpected).toEqual([]);
    const openRoutes = new Set(open.map((line) => line.split(' → ')[0]));
    for (const route of PUBLIC_ROUTES) expect(openRoutes).toContain(route);
  });

  it('refuses every route spelled another way without a token (/ADMIN/…, /Admin/…, //, %61, trailing slash): 401 or 404, never 2xx', async () => {
    const registered = new Set(routes.map((r) => `${r.method} ${r.path}`));
    const leaks: string[] = [];
    for (const route of routes) {
      for (const path of spellings(route.path)) {
        if (registered.has(`${route.method} ${path}`)) continue; // a route of its own, walked above
        const res = await send(route, path);
        const allowed = isPublic(route) ? res.status < 500 : res.status === 401 || res.status === 404;
        if (!allowed) leaks.push(`${route.method} ${path} → ${res.status}`);
      }
    }
    expect(leaks).toEqual([]);
  });
});
