// What a person starting the gateway must not miss, boxed, printed once it listens. Pure.

export interface BannerFacts {
  /** The address as configured (`0.0.0.0` and `::` are shown as `localhost`). */
  readonly host: string;
  readonly port: number;
  readonly username: string;
  /** Present only on the first start without ADMIN_PASSWORD: shown this once, never logged. */
  readonly generatedPassword?: string;
}

export function startupBanner(facts: BannerFacts): string {
  const host = ['0.0.0.0', '::', ''].includes(facts.host) ? 'localhost' : facts.host;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${facts.port}`;
  const lines = [`Switchyard is listening on ${origin}`, ''];
  if (facts.generatedPassword)
    lines.push(
      `Admin user:      ${facts.username}`,
      `Admin password:  ${facts.generatedPassword}`,
      '                 (generated; shown only this once: note it now, or set ADMIN_PASSWORD)',
      '',
    );
  lines.push(`Dashboard:       ${origin}/dashboard`, `API docs:        ${origin}/swagger`);
  const width = Math.max(...lines.map((line) => line.length));
  const rule = '─'.repeat(width + 2);
  return [`┌${rule}┐`, ...lines.map((line) => `│ ${line.padEnd(width)} │`), `└${rule}┘`, ''].join('\n');
}
