import { startupBanner } from './startup-banner.js';

describe(startupBanner.name, () => {
  it('boxes the generated password with the dashboard and docs URLs', () => {
    const text = startupBanner({
      host: '0.0.0.0',
      port: 3000,
      username: 'admin',
      generatedPassword: 'pw-123',
    });
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^┌─+┐$/);
    expect(lines.at(-1)).toMatch(/^└─+┘$/);
    expect(new Set(lines.map((line) => line.length)).size).toBe(1);
    expect(text).toContain('Switchyard is listening on http://localhost:3000');
    expect(text).toContain('Admin password:  pw-123');
    expect(text).toContain('http://localhost:3000/dashboard');
    expect(text).toContain('http://localhost:3000/swagger');
  });

  it('says nothing of a password that was not generated, and keeps a specific host', () => {
    const text = startupBanner({ host: '10.0.0.5', port: 8080, username: 'admin' });
    expect(text).not.toContain('password');
    expect(text).toContain('http://10.0.0.5:8080/dashboard');
    expect(startupBanner({ host: '::1', port: 1, username: 'a' })).toContain('http://[::1]:1/swagger');
  });
});
