import { Logger } from '@nestjs/common';
import type { Changes } from '../audit/audit-changes.js';
import type { Plan } from './declared-state.js';

/** The actor of every change the configuration file makes, in the audit log. */
export const CONFIG_FILE_ACTOR = 'config-file';

export type AppliedOutcome = Plan['action'];

const logger = new Logger('DeclarativeConfig');

/**
 * Logs what applying a declaration does and why (naming the entity and the fields that differ,
 * never a value), and returns the note its audit row carries. The rule for a conflict: the file
 * wins, and the administrator's values stay in the audit row's `from` side.
 */
export function reportPlan(label: string, plan: Plan): Changes {
  if (plan.action === 'create') {
    if (plan.recreated)
      logger.warn(
        `${label} was deleted through the admin API since the configuration file last applied it; it is created again from the file`,
      );
    return {};
  }
  if (plan.action === 'none') return {};
  const fields = plan.fields.join(', ');
  switch (plan.cause) {
    case 'file':
      logger.log(`${label} updated from the configuration file (${fields})`);
      return {};
    case 'adopt':
      logger.warn(
        `${label} existed before the configuration file declared it and differs in ${fields}; the file's declaration is applied`,
      );
      return { configFile: 'took over an entry that existed before the configuration file declared it' };
    case 'conflict':
      logger.warn(
        `${label} was changed through the admin API since the configuration file last applied it; it differs in ${fields}. The file wins: its declaration is applied, and the overwritten values are in the audit log`,
      );
      return { configFile: 'overwrote a change made through the admin API since the file last applied it' };
  }
}
