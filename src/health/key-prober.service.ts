import { Injectable } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import type { RoutableGroup, RoutableKey } from '../routing/routing-snapshot.js';
import { oneLineRedacted } from '../common/logging/redaction.js';
import { redactorOfGroup } from '../common/logging/known-secrets.js';
import { describeError } from '../common/describe-error.js';
import { adapterFor, isProviderTypeSupported } from '../upstream/adapter-registry.js';
import { UpstreamClient } from '../upstream/upstream-client.js';
import { classifyAttempt, isClientAbort } from '../upstream/upstream-error.js';
import { classifyReply } from '../upstream/upstream-reply.js';
import type { ProbeResult } from './check-bookkeeping.js';

const CONNECT_TIMEOUT_MS = 5000;
const GLOB = /[*?[]/;
/** A probe keeps only the start of an error body. */
const PROBE_ERROR_MAX_BYTES = 64 * 1024;

/** A probe that could not be made at all (no adapter for the provider type yet, or aborted). */
export interface ProbeSkipped {
  readonly skipped: string;
}

export type ProbeAttempt = ProbeResult | ProbeSkipped;

export function isSkipped(attempt: ProbeAttempt): attempt is ProbeSkipped {
  return 'skipped' in attempt;
}

/** The model of a chat probe: the group's `probe.model`, else its first concrete model. */
export function probeModel(group: Pick<RoutableGroup, 'probe' | 'models' | 'modelMap'>): string {
  return (
    group.probe.model ??
    group.models.find((model) => !GLOB.test(model)) ??
    Object.values(group.modelMap)[0] ??
    group.models[0] ??
    ''
  );
}

/**
 * One real, cheap call with one upstream key (the adapter's `buildProbe`: `GET /models`, or a
 * 1-token chat completion) under a hard deadline. An upstream failure is a result, not an exception.
 */
@Injectable()
export class KeyProber {
  constructor(private readonly client: UpstreamClient) {}

  async probe(
    group: RoutableGroup,
    key: RoutableKey,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<ProbeAttempt> {
    if (!isProviderTypeSupported(group.providerType))
      return { skipped: `provider type ${group.providerType} cannot be probed yet` };
    const target = {
      baseUrl: group.baseUrl,
      apiKey: key.secret,
      headers: group.headers,
      apiVersion: group.apiVersion,
    };
    const adapter = adapterFor(group.providerType);
    const spec = adapter.buildProbe(target, group.probe, probeModel(group));
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    // An upstream may echo the key in its error: the group's keys are replaced by value.
    const redactor = redactorOfGroup(group);
    const redact = (text: string) => redactor.redact(text);
    const deadlines = {
      connectMs: Math.min(CONNECT_TIMEOUT_MS, timeoutMs),
      firstByteMs: timeoutMs,
      idleMs: timeoutMs,
      totalMs: timeoutMs,
    };
    try {
      const res = await this.client.send(spec, deadlines, signal);
      if (res.status >= 200 && res.status < 300) {
        await res.discard();
        return { ok: true, status: res.status, latencyMs: elapsed(), invalidatesKey: false };
      }
      const text = await res.text(PROBE_ERROR_MAX_BYTES).catch(() => '');
      const outcome = classifyReply(
        adapter,
        group.probe.kind === 'chat' ? 'chat' : 'models',
        res.status,
        res.headers,
        text,
      ).outcome;
      return {
        ok: false,
        status: res.status,
        error: oneLineRedacted(`upstream answered ${res.status}: ${errorText(redact(text))}`, 500, redact),
        latencyMs: elapsed(),
        invalidatesKey: outcome.invalidatesKey,
      };
    } catch (error) {
      if (signal?.aborted && isClientAbort(error)) return { skipped: 'aborted' };
      const kind = classifyAttempt({ error }).kind;
      // The URL guard refused the address: a configuration error that says nothing of the key.
      if (kind === 'refused') return { skipped: describeError(error) };
      return {
        ok: false,
        error: oneLineRedacted(`${kind}: ${describeError(error)}`, 500, redact),
        latencyMs: elapsed(),
        invalidatesKey: false,
      };
    }
  }
}

/** The message of an OpenAI-style error body, else the body's start. */
function errorText(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown } | string; message?: unknown };
    const message =
      typeof parsed.error === 'string' ? parsed.error : (parsed.error?.message ?? parsed.message);
    if (typeof message === 'string') return message;
  } catch {
    // not JSON
  }
  return body.slice(0, 300);
}
