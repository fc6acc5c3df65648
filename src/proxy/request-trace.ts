import { SecretRedactor, SHAPE_REDACTOR } from '../common/logging/known-secrets.js';
import type { TokenUsage } from '../upstream/adapter.js';
import type { RoutableGroup, RoutableKey } from '../routing/routing-snapshot.js';

/** What one client request went through, filled in as it goes; becomes the usage record and log line. */
export class RequestTrace {
  attempts = 0;
  group?: RoutableGroup;
  key?: RoutableKey;
  upstreamModel?: string;
  status = 0;
  errorType?: string;
  errorMessage?: string;
  ttfbMs?: number;
  usage?: TokenUsage;
  /** Only with detailed request logging: the non-stream answer as sent, redacted. */
  responseBody?: string;
  /** The snapshot's upstream keys and the request's proxy key: applied to every upstream-derived text kept. */
  redactor: SecretRedactor = SHAPE_REDACTOR;

  constructor(
    readonly startedAt: number,
    /** Detailed request logging is on: keep the bodies for the log row. */
    readonly captureBodies = false,
  ) {}

  /** The group, key and upstream model of the attempt about to be made (the last one stays). */
  routedTo(group: RoutableGroup, key: RoutableKey, upstreamModel: string): void {
    this.group = group;
    this.key = key;
    this.upstreamModel = upstreamModel;
  }

  /** `message` may hold upstream text: known secrets are replaced before it is kept. */
  failed(status: number, errorType: string, message: string): void {
    this.status = status;
    this.errorType = errorType;
    this.errorMessage = this.redactor.redact(message);
  }

  captureResponse(body: string): void {
    if (this.captureBodies) this.responseBody = this.redactor.redact(body);
  }
}
