// The README's commands and settings tables are generated from package.json (scripts/settings-table.mjs);
// a setting or command added, renamed or re-described without regenerating them fails here.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'scripts/settings-table.mjs'))) {
    const up = join(dir, '..');
    if (up === dir) throw new Error('repo root not found');
    dir = up;
  }
  return dir;
}

describe('README', () => {
  const repo = repoRoot();

  it('has the commands and settings tables of the current package.json (else: node scripts/settings-table.mjs --write)', () => {
    const r = spawnSync(process.execPath, ['scripts/settings-table.mjs', '--check'], { cwd: repo, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr || r.stdout);
  });

  it('lists every contributed setting and command', () => {
    const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
    const readme = readFileSync(join(repo, 'README.md'), 'utf8');
    const settings = Object.keys(pkg.contributes?.configuration?.properties ?? {});
    const commands = (pkg.contributes?.commands ?? []).map((c: { command: string }) => c.command);
    assert.ok(settings.length > 0 && commands.length > 0);
    for (const id of [...settings, ...commands])
      assert.ok(readme.includes(`\`${id}\``), `${id} is missing from README.md`);
  });

  it('quotes error messages in Troubleshooting that the client really shows', () => {
    const readme = readFileSync(join(repo, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Troubleshooting'), readme.indexOf('## Benchmarks'));
    // The client's errors (src/api) and the chat's own (src/chat, src/context: the context window).
    const srcText = ['src/api', 'src/chat', 'src/context']
      .flatMap((dir) =>
        readdirSync(join(repo, dir))
          .filter((f) => f.endsWith('.ts'))
          .map((f) => readFileSync(join(repo, dir, f), 'utf8')),
      )
      .join('\n');
    const quotes = Array.from(section.matchAll(/"([^"]{12,})"/g), (m) => m[1]);
    assert.ok(quotes.length >= 10, `only ${quotes.length} quoted messages`);
    for (const q of quotes) {
      // The literal start of the message: before a placeholder (…, `<url>`), a status in brackets or a duration.
      const literal = q.split(/…|`|\(|\d+ s\b/)[0].trim();
      if (literal.length < 12) continue;
      assert.ok(
        srcText.includes(literal),
        `README quotes "${literal}", which no file in src/api, src/chat or src/context contains`,
      );
    }
  });

  it('links only images that exist', () => {
    const readme = readFileSync(join(repo, 'README.md'), 'utf8');
    const images = Array.from(readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g), (m) => m[1]);
    assert.ok(images.length >= 5, 'the README shows the screenshots');
    for (const img of images) assert.ok(existsSync(join(repo, img)), `${img} does not exist`);
  });
});
