// Workspace instructions: files a project keeps for AI assistants, sent with every request as part of the system
// prompt (so the fitting counts them first and never trims them). Pure: no `vscode` import.
import * as l10n from '@vscode/l10n';
import { formatNumber } from '../api/locale';

/** Looked for at the root of each workspace folder, in this order. */
export const INSTRUCTION_FILES: readonly string[] = [
  'AGENTS.md',
  '.github/copilot-instructions.md',
  '.bud/instructions.md',
];

/** An instruction file larger than this is not sent (and the chip says why): a system prompt must leave room. */
export const MAX_INSTRUCTION_CHARS = 100_000;

export interface InstructionFile {
  /** Workspace path as shown ("AGENTS.md", "api/AGENTS.md" in a multi-root workspace). */
  path: string;
  text: string;
}

export const INSTRUCTIONS_HEADING =
  "The workspace's own instructions for AI assistants follow, one file at a time. Follow them unless the user says otherwise.";

/** The system prompt with the instruction files after it, each between lines naming it. */
export function withInstructions(systemPrompt: string, files: readonly InstructionFile[]): string {
  const used = files.filter((f) => f.text.trim() !== '');
  if (used.length === 0) return systemPrompt;
  const blocks = used.map((f) => `--- Begin ${f.path} ---\n${f.text.trim()}\n--- End ${f.path} ---`);
  return `${systemPrompt}\n\n${INSTRUCTIONS_HEADING}\n\n${blocks.join('\n\n')}`;
}

/** Why an instruction file is not sent, or undefined when it is. */
export function instructionProblem(path: string, chars: number): string | undefined {
  if (chars <= MAX_INSTRUCTION_CHARS) return undefined;
  return l10n.t(
    '{0} is {1} characters long, more than the {2} an instruction file may have, so it is not sent. Shorten it, or split what applies to every request from the rest.',
    path,
    formatNumber(chars),
    formatNumber(MAX_INSTRUCTION_CHARS),
  );
}
