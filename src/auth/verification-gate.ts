import { AdminError } from '../common/admin-error.js';

// One scrypt run at a time keeps hashing to one core and leaves libuv's pool to DNS and files; a short
// queue absorbs a handful of simultaneous logins, anything beyond is refused at once.
export const MAX_CONCURRENT_VERIFICATIONS = 1;
export const MAX_WAITING_VERIFICATIONS = 8;

/**
 * Caps concurrent password verifications: a few run, a few wait their turn, the rest are refused
 * at once (503, Retry-After) instead of piling work onto the thread pool.
 */
export class VerificationGate {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly maxRunning: number,
    private readonly maxWaiting: number,
  ) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.maxRunning) {
      if (this.waiting.length >= this.maxWaiting) throw new LoginsBusy();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else this.running += 1;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}

export const LOGINS_BUSY_MESSAGE = 'Too many logins in progress; retry in a moment';

export class LoginsBusy extends AdminError {
  constructor() {
    super('unavailable', LOGINS_BUSY_MESSAGE, 1);
  }
}
