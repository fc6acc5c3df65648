import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { configVariableNames, parseConfig } from '../src/config/parse-config.js';
import { startTestApp, TestApp } from './support/test-app.js';

// The manifests in deploy/kubernetes against the application itself: probe paths that answer,
// the port it listens on, environment variable names it reads, a grace period longer than its
// own. Renaming any of these in the code fails here instead of in a cluster.

const DIR = resolve('deploy/kubernetes');
const SECRET_NAMES = ['JWT_SECRET', 'ENCRYPTION_KEY', 'ADMIN_PASSWORD', 'DATABASE_URL'];
const WORKDIR = '/app'; // the image's WORKDIR (Dockerfile)

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Manifest = Record<string, any>;

function load(file: string): Manifest[] {
  return parseAllDocuments(readFileSync(join(DIR, file), 'utf8')).map((doc) => doc.toJS() as Manifest);
}

describe('Kubernetes manifests (deploy/kubernetes)', () => {
  const kustomization = load('kustomization.yaml')[0];
  const manifests = (kustomization.resources as string[]).flatMap(load);
  const optional = load('horizontalpodautoscaler.yaml');
  const find = (kind: string) => {
    const found = [...manifests, ...optional].filter((m) => m.kind === kind);
    expect(found).toHaveLength(1);
    return found[0];
  };
  const deployment = find('Deployment');
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0];
  const configMap: Record<string, string> = find('ConfigMap').data;
  const secret: Record<string, string> = find('Secret').stringData;
  const env = { ...configMap, ...secret };
  const config = parseConfig(env, WORKDIR);

  it('lists the optional HorizontalPodAutoscaler commented out, next to the resources it applies', () => {
    const text = readFileSync(join(DIR, 'kustomization.yaml'), 'utf8');
    expect(text).toMatch(/^\s*# - horizontalpodautoscaler\.yaml$/m);
    expect(kustomization.resources).toEqual(
      expect.arrayContaining([
        'configmap.yaml',
        'secret.yaml',
        'deployment.yaml',
        'service.yaml',
        'poddisruptionbudget.yaml',
      ]),
    );
    expect(find('HorizontalPodAutoscaler').spec.scaleTargetRef).toMatchObject({
      kind: 'Deployment',
      name: deployment.metadata.name,
    });
  });

  it('names only environment variables the gateway reads, with the secrets in the Secret', () => {
    const known = configVariableNames();
    expect(
      [...Object.keys(configMap), ...Object.keys(secret)].filter((name) => !known.includes(name)),
    ).toEqual([]);
    expect(Object.keys(secret).sort()).toEqual([...SECRET_NAMES].sort());
    expect(Object.keys(configMap).filter((name) => SECRET_NAMES.includes(name))).toEqual([]);
    expect(container.envFrom).toEqual([
      { configMapRef: { name: find('ConfigMap').metadata.name } },
      { secretRef: { name: find('Secret').metadata.name } },
    ]);
    // What the configuration says is valid for several replicas.
    expect(config.database.type).toBe('mysql');
    expect(config.redisUrl).toMatch(/^redis:\/\//);
    expect(config.production).toBe(true);
  });

  it('exposes the port the gateway listens on, through the Service, to the probes', () => {
    const http = container.ports.find((port: Manifest) => port.name === 'http');
    expect(http.containerPort).toBe(config.port);
    for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe'])
      expect(container[probe].httpGet.port).toBe('http');
    expect(find('Service').spec.ports[0].targetPort).toBe('http');
    expect(find('Service').spec.selector).toEqual(deployment.spec.selector.matchLabels);
    expect(find('PodDisruptionBudget').spec.selector.matchLabels).toEqual(
      deployment.spec.selector.matchLabels,
    );
  });

  it('outlasts the gateway’s own shutdown grace with its termination grace period', () => {
    const preStopSeconds = Number(container.lifecycle.preStop.exec.command.at(-1));
    expect(container.lifecycle.preStop.exec.command[0]).toBe('sleep');
    expect(preStopSeconds).toBeGreaterThan(0);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(preStopSeconds + config.shutdownGraceMs / 1000);
  });

  it('runs two replicas as non-root on a read-only root, writing only to emptyDir volumes', () => {
    expect(deployment.spec.replicas).toBe(2);
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(container.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
    });
    const mounted = new Map(container.volumeMounts.map((m: Manifest) => [m.mountPath, m.name]));
    expect(mounted.get(config.dataDir)).toBeDefined();
    expect(mounted.get('/tmp')).toBeDefined();
    for (const volume of pod.volumes) expect(volume.emptyDir).toBeDefined();
    expect(container.resources.requests.memory).toBe('192Mi');
    expect(container.resources.limits.memory).toBe('384Mi');
  });

  describe('probe paths', () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await startTestApp({ engine: 'sqlite' });
    });
    afterAll(() => app.close());

    it.each(['startupProbe', 'livenessProbe', 'readinessProbe'])(
      '%s answers 200 on the running gateway',
      async (probe) => {
        await app.http().get(container[probe].httpGet.path).expect(200);
      },
    );

    it('uses /health/live for liveness and /health/ready for readiness', () => {
      expect(container.livenessProbe.httpGet.path).toBe('/health/live');
      expect(container.readinessProbe.httpGet.path).toBe('/health/ready');
    });
  });
});
