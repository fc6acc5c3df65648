import { UsageRecord } from '../../src/stats/usage-record.js';

/** A plausible UsageRecord (a successful non-stream chat completion) with overrides. */
export function usageRecord(extra: Partial<UsageRecord> = {}): UsageRecord {
  return {
    requestId: `req-${Math.random().toString(36).slice(2)}`,
    at: new Date(),
    proxyKeyId: 1,
    proxyKeyName: 'team-a',
    model: 'gpt-4o',
    upstreamModel: 'gpt-4o-2024-08-06',
    groupId: 1,
    groupName: 'openai-main',
    upstreamKeyId: 11,
    pinned: false,
    stream: false,
    status: 200,
    attempts: 1,
    latencyMs: 120,
    ttfbMs: 80,
    promptTokens: 10,
    completionTokens: 5,
    totalTokens: 15,
    clientIp: '127.0.0.1',
    userAgent: 'openai-node/6',
    endpoint: '/v1/chat/completions',
    ...extra,
  };
}

export { waitFor } from './wait-for.js';
