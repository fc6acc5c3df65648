/**
 * Keeps a Prometheus label's cardinality bounded: the first `max` distinct values pass through,
 * later newcomers are reported as `other` (a client choosing model names must not grow the
 * registry without end).
 */
export class BoundedLabel {
  static readonly OVERFLOW = 'other';
  private readonly seen = new Set<string>();

  constructor(private readonly max: number) {}

  value(raw: string): string {
    if (this.seen.has(raw)) return raw;
    if (this.seen.size >= this.max) return BoundedLabel.OVERFLOW;
    this.seen.add(raw);
    return raw;
  }
}
