// The pure part of the `@bud` chat participant: the request it sends from VS Code's chat history. No `vscode` import.
import * as l10n from '@vscode/l10n';
import type { ChatMessage } from '../api/types';
import { buildUserContent, EXPLAIN_INSTRUCTION } from '../chat/prompts';
import type { CodeContext } from '../protocol';

/** One earlier turn of the conversation with `@bud`, as plain data. */
export type ParticipantTurn =
  { kind: 'request'; prompt: string; command?: string } | { kind: 'response'; text: string };

/** The user text for a request: `/explain` without words asks for Bud's usual explanation. */
export function promptText(prompt: string, command: string | undefined): string {
  if (command === 'explain' && !prompt.trim()) return EXPLAIN_INSTRUCTION;
  return prompt;
}

/** The messages for a participant request: the system prompt, the earlier turns, then this request with its code. */
export function participantMessages(
  systemPrompt: string,
  history: readonly ParticipantTurn[],
  prompt: string,
  command: string | undefined,
  contexts: readonly CodeContext[],
): ChatMessage[] {
  const out: ChatMessage[] = [{ role: 'system', content: systemPrompt }];
  for (const t of history) {
    if (t.kind === 'request') out.push({ role: 'user', content: promptText(t.prompt, t.command) });
    else if (t.text) out.push({ role: 'assistant', content: t.text });
  }
  out.push({ role: 'user', content: buildUserContent(promptText(prompt, command), contexts) });
  return out;
}

/** What the participant says when `/explain` has no selection to explain. */
export const noSelectionMessage = (): string =>
  l10n.t('Select the code to explain in an editor first (or attach a file with #), then ask `@bud /explain` again.');
