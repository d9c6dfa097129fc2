// package.json's user-visible texts are localisable: each is a `%key%` with its English text in package.nls.json
// (only the brand name "Bud" stays literal), and every key is used.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../harness/paths';

const repo = repoRoot();
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
const nls: Record<string, string> = JSON.parse(readFileSync(join(repo, 'package.nls.json'), 'utf8'));

/** Brand names that no locale translates. */
const BRAND = new Set(['Bud', 'Bud Chat']);

/** Every user-visible text field of the manifest, with where it is. */
function userTexts(): { where: string; value: unknown }[] {
  const c = pkg.contributes;
  const out: { where: string; value: unknown }[] = [
    { where: 'description', value: pkg.description },
    { where: 'capabilities.untrustedWorkspaces.description', value: pkg.capabilities.untrustedWorkspaces.description },
    { where: 'capabilities.virtualWorkspaces.description', value: pkg.capabilities.virtualWorkspaces.description },
  ];
  for (const v of c.views.bud) out.push({ where: `views.${v.id}.name`, value: v.name });
  for (const cmd of c.commands) out.push({ where: `${cmd.command}.title`, value: cmd.title });
  for (const [key, p] of Object.entries<Record<string, unknown>>(c.configuration.properties)) {
    out.push({ where: `${key} description`, value: p.markdownDescription ?? p.description });
    for (const d of (p.enumDescriptions as unknown[] | undefined) ?? []) out.push({ where: `${key} enum`, value: d });
  }
  for (const t of c.languageModelTools ?? []) {
    out.push({ where: `${t.name}.displayName`, value: t.displayName });
    out.push({ where: `${t.name}.userDescription`, value: t.userDescription });
  }
  for (const p of c.chatParticipants ?? []) {
    out.push({ where: `${p.id}.description`, value: p.description });
    for (const sc of p.commands ?? []) out.push({ where: `${p.id}/${sc.name}`, value: sc.description });
  }
  return out;
}

describe('package.nls.json', () => {
  it('every user-visible text of package.json is a %key% with English text (brand names excepted)', () => {
    const literal = userTexts().filter(
      (t) => typeof t.value !== 'string' || (!/^%[^%]+%$/.test(t.value) && !BRAND.has(t.value)),
    );
    assert.deepEqual(literal, []);
  });

  it('has every key package.json uses, and no unused key', () => {
    const used = new Set([...JSON.stringify(pkg).matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]));
    assert.deepEqual(
      [...used].filter((k) => !(k in nls)),
      [],
      'keys missing from package.nls.json',
    );
    assert.deepEqual(
      Object.keys(nls).filter((k) => !used.has(k)),
      [],
      'unused keys in package.nls.json',
    );
    for (const [k, v] of Object.entries(nls)) assert.ok(typeof v === 'string' && v.trim(), `${k} is empty`);
  });
});
