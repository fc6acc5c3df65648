import { AppConfig } from './app-config.js';
import { parseConfig } from './parse-config.js';
import { resolveSecrets } from './secrets.js';

/** The one way the process reads its configuration: the app, the CLI and `ormconfig.ts` call it. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  return resolveSecrets(parseConfig(env));
}
