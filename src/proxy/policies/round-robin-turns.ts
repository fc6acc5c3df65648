// One round-robin counter per scope (a group id for its keys, a priority for the groups of a tier).
// Taking a turn is O(1); a counter only moves when a request actually uses that scope.

const WRAP_AT = 2 ** 30;

export class RoundRobinTurns {
  private readonly turns = new Map<number, number>();

  /** This scope's turn; the next call gets the following one. */
  take(scope: number): number {
    const turn = this.turns.get(scope) ?? 0;
    this.turns.set(scope, turn + 1 >= WRAP_AT ? 0 : turn + 1);
    return turn;
  }
}
