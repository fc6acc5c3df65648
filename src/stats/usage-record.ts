// What the proxy hands the UsageRecorder after every request (one record per client request,
// whatever the number of attempts). Plain data: the recorder owns batching and persistence.

export interface UsageRecord {
  readonly requestId: string;
  readonly at: Date;
  readonly proxyKeyId?: number;
  readonly proxyKeyName?: string;
  /** The model the client asked for. */
  readonly model: string;
  /** The model sent upstream (after `modelMap`). */
  readonly upstreamModel?: string;
  readonly groupId?: number;
  readonly groupName?: string;
  readonly upstreamKeyId?: number;
  /** `backend` pinned the request to one group. */
  readonly pinned: boolean;
  readonly stream: boolean;
  /** HTTP status the client got (499 when the client went away). */
  readonly status: number;
  readonly errorType?: string;
  /** ≤ 500 characters, secrets redacted. */
  readonly errorMessage?: string;
  readonly attempts: number;
  readonly latencyMs: number;
  readonly ttfbMs?: number;
  readonly promptTokens?: number;
  readonly completionTokens?: number;
  readonly totalTokens?: number;
  readonly clientIp?: string;
  readonly userAgent?: string;
  /** Only when detailed request logging is on; cut at maxContentLength by the recorder. */
  readonly requestBody?: string;
  readonly responseBody?: string;
  /** `/v1/chat/completions`, `/v1/embeddings`, … */
  readonly endpoint: string;
}
