import { REQUEST_LOG_LIMITS } from '../entities/request-log.entity.js';
import { UsageRecord } from '../usage-record.js';

/** One hourly aggregate row (provider_usage_stats); 0 stands for "none" in the id columns. */
export interface UsageBucket {
  readonly hourStart: Date;
  readonly groupId: number;
  readonly upstreamKeyId: number;
  readonly model: string;
  readonly proxyKeyId: number;
  groupName: string | null;
  proxyKeyName: string | null;
  requests: number;
  successes: number;
  failures: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  latencyMsSum: number;
}

const HOUR_MS = 3_600_000;

export function startOfHour(at: Date): Date {
  return new Date(Math.floor(at.getTime() / HOUR_MS) * HOUR_MS);
}

/** A request counts as a success when the client got a 2xx/3xx answer. */
export function isSuccess(status: number): boolean {
  return status >= 200 && status < 400;
}

export function tokensOf(record: UsageRecord): { prompt: number; completion: number; total: number } {
  const prompt = record.promptTokens ?? 0;
  const completion = record.completionTokens ?? 0;
  return { prompt, completion, total: record.totalTokens ?? prompt + completion };
}

/** Folds a batch of records into as few bucket upserts as possible. */
export function aggregateHourly(records: readonly UsageRecord[]): UsageBucket[] {
  const buckets = new Map<string, UsageBucket>();
  for (const record of records) {
    const hourStart = startOfHour(record.at);
    const model = record.model.slice(0, REQUEST_LOG_LIMITS.model);
    const groupId = record.groupId ?? 0;
    const upstreamKeyId = record.upstreamKeyId ?? 0;
    const proxyKeyId = record.proxyKeyId ?? 0;
    const key = `${hourStart.getTime()}|${groupId}|${upstreamKeyId}|${proxyKeyId}|${model}`;
    let bucket = buckets.get(key);
    if (!bucket) {
      bucket = {
        hourStart,
        groupId,
        upstreamKeyId,
        model,
        proxyKeyId,
        groupName: null,
        proxyKeyName: null,
        requests: 0,
        successes: 0,
        failures: 0,
        promptTokens: 0,
        completionTokens: 0,
        totalTokens: 0,
        latencyMsSum: 0,
      };
      buckets.set(key, bucket);
    }
    const tokens = tokensOf(record);
    bucket.groupName = record.groupName?.slice(0, REQUEST_LOG_LIMITS.name) ?? bucket.groupName;
    bucket.proxyKeyName = record.proxyKeyName?.slice(0, REQUEST_LOG_LIMITS.name) ?? bucket.proxyKeyName;
    bucket.requests += 1;
    if (isSuccess(record.status)) bucket.successes += 1;
    else bucket.failures += 1;
    bucket.promptTokens += tokens.prompt;
    bucket.completionTokens += tokens.completion;
    bucket.totalTokens += tokens.total;
    bucket.latencyMsSum += Math.max(0, Math.round(record.latencyMs));
  }
  return [...buckets.values()];
}
