// The product's test API (what `activate` returns when BUD_TEST_MODE=1), for the integration suites.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { BudTestApi } from '../../src/testApi';

export const EXTENSION_ID = 'bud-studio.bud-chat';

export async function budTestApi(): Promise<BudTestApi> {
  const ext = vscode.extensions.getExtension<BudTestApi>(EXTENSION_ID);
  assert.ok(ext, 'extension installed');
  const a = await ext.activate();
  assert.ok(a, 'test API returned (BUD_TEST_MODE=1)');
  return a;
}
