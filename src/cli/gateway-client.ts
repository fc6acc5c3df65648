import type { ProviderHealthDto } from '../health/dto/provider-health.dto.js';

// How the CLI talks to a running gateway: its URL and an admin JWT, from the environment.

export interface GatewayAccess {
  readonly url: string;
  readonly token?: string;
  readonly username?: string;
  readonly password?: string;
}

export const DEFAULT_GATEWAY_URL = 'http://127.0.0.1:3000';
const TIMEOUT_MS = 10_000;

export function accessFromEnv(env: NodeJS.ProcessEnv): GatewayAccess {
  return {
    url: (env.SWITCHYARD_URL || DEFAULT_GATEWAY_URL).replace(/\/+$/, ''),
    token: env.SWITCHYARD_TOKEN || undefined,
    username: env.ADMIN_USERNAME || 'admin',
    password: env.ADMIN_PASSWORD || undefined,
  };
}

export class CliError extends Error {}

export async function fetchProvidersHealth(access: GatewayAccess): Promise<ProviderHealthDto[]> {
  const token = access.token ?? (await login(access));
  const body = (await call(access, '/api/providers/health', {
    headers: { authorization: `Bearer ${token}` },
  })) as {
    data?: ProviderHealthDto[];
  };
  if (!Array.isArray(body.data)) throw new CliError('unexpected answer from /api/providers/health');
  return body.data;
}

async function login(access: GatewayAccess): Promise<string> {
  if (!access.password) throw new CliError('set SWITCHYARD_TOKEN, or ADMIN_USERNAME and ADMIN_PASSWORD');
  const body = (await call(access, '/admin/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: access.username, password: access.password }),
  })) as { access_token?: string };
  if (!body.access_token) throw new CliError('the gateway did not return a token');
  return body.access_token;
}

async function call(access: GatewayAccess, path: string, init: RequestInit): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(access.url + path, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new CliError(
      `cannot reach ${access.url} (${cause?.code ?? cause?.message ?? (error as Error).message})`,
    );
  }
  const text = await res.text();
  if (!res.ok) {
    const message = safeMessage(text);
    throw new CliError(`${path} answered ${res.status}${message ? `: ${message}` : ''}`);
  }
  return JSON.parse(text) as unknown;
}

function safeMessage(text: string): string | undefined {
  try {
    const message = (JSON.parse(text) as { message?: unknown }).message;
    return typeof message === 'string' ? message : undefined;
  } catch {
    return undefined;
  }
}
