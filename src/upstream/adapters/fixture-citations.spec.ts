import { existsSync, readdirSync, readFileSync } from 'node:fs';

// The conformance fixtures are written from the providers' public API references: each adapter's
// __fixtures__/README.md names every file with the page it follows, so a new fixture cannot be
// added without saying where its shape comes from.

const ADAPTERS = new URL('./', import.meta.url);

const fixtureDirs = readdirSync(ADAPTERS, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(new URL(`./${entry.name}/__fixtures__`, ADAPTERS)))
  .map((entry) => entry.name);

describe('adapter fixtures', () => {
  it('exist for the translating adapters', () => {
    expect(fixtureDirs).toEqual(expect.arrayContaining(['anthropic', 'gemini', 'openai']));
  });

  describe.each(fixtureDirs)('%s/__fixtures__', (adapter) => {
    const dir = new URL(`./${adapter}/__fixtures__/`, ADAPTERS);
    const readme = existsSync(new URL('README.md', dir))
      ? readFileSync(new URL('README.md', dir), 'utf8')
      : '';
    const rows = readme.split('\n').filter((line) => line.startsWith('|'));
    const files = readdirSync(dir).filter((name) => name !== 'README.md');

    it.each(files)('cites the reference page of %s', (file) => {
      const row = rows.find((line) => line.includes(`\`${file}\``));
      expect(row).toBeDefined();
      const reference = row!.split('|').at(-2) ?? '';
      expect(reference).toMatch(
        /https:\/\/(docs\.anthropic\.com|ai\.google\.dev|platform\.openai\.com|learn\.microsoft\.com)\//,
      );
    });
  });
});
