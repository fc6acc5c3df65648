// What kind of upstream a provider group talks to, and how a health check probes it. Lives with
// the adapters (one per type) so that everything above can name a type without reaching up.

export const PROVIDER_TYPES = ['openai', 'anthropic', 'gemini', 'azure', 'openai-compatible'] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];

/** How the scheduled health check probes a group's keys (ROUTING.md "Scheduled health checks"). */
export interface ProbeSettings {
  readonly kind: 'models' | 'chat';
  /** For `chat`: the model of the 1-token completion (defaults to the group's first model). */
  readonly model?: string;
}
