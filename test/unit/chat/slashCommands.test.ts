import * as assert from 'node:assert/strict';
import { INSTRUCTIONS_HEADING, instructionProblem, withInstructions } from '../../../src/chat/instructions';
import { parsePromptFile, parseSlash, placeholdersOf, promptName, substitute } from '../../../src/chat/slashCommands';

describe('slash commands and prompt files', () => {
  it('names prompt files by their file name without the ending', () => {
    assert.equal(promptName('review.md', '.md'), 'review');
    assert.equal(promptName('fix-tests.prompt.md', '.prompt.md'), 'fix-tests');
    assert.equal(promptName('My Prompt.prompt.md', '.prompt.md'), 'My-Prompt');
    assert.equal(promptName('notes.txt', '.md'), undefined);
    assert.equal(promptName('.hidden.md', '.md'), undefined);
  });

  it('reads the description from the front matter and keeps the body', () => {
    assert.deepEqual(parsePromptFile('---\ndescription: "Write tests"\nmode: agent\n---\nWrite tests for ${file}.\n'), {
      description: 'Write tests',
      body: 'Write tests for ${file}.',
    });
    assert.deepEqual(parsePromptFile('\uFEFFJust a body'), { body: 'Just a body' });
    assert.deepEqual(parsePromptFile('---\nmode: ask\n---\n\nBody'), { body: 'Body' });
  });

  it('parses /name and its arguments; other text is not a command', () => {
    assert.deepEqual(parseSlash('/review focus on errors\nand names'), {
      name: 'review',
      args: 'focus on errors\nand names',
    });
    assert.deepEqual(parseSlash('  /explain'), { name: 'explain', args: '' });
    assert.equal(parseSlash('what does /explain do?'), undefined);
    assert.equal(parseSlash('/'), undefined);
    assert.equal(parseSlash('//comment'), undefined);
  });

  it('substitutes $ARGUMENTS, ${selection} and ${file}; other ${…} stay', () => {
    assert.equal(
      substitute('Fix $ARGUMENTS in ${file}:\n${selection}\n${input:x}', {
        args: 'the bug',
        selection: 'a()',
        file: 'src/a.ts',
      }),
      'Fix the bug in src/a.ts:\na()\n${input:x}',
    );
    assert.equal(substitute('Be brief.', { args: 'about cats' }), 'Be brief.\n\nabout cats');
    assert.equal(substitute('Use $ARGUMENTS and $ARGUMENTS', { args: '$&' }), 'Use $& and $&');
    assert.deepEqual(placeholdersOf('x ${selectedText} y'), { selection: true, file: false });
  });
});

describe('workspace instructions', () => {
  it('go after the system prompt, each between lines naming its file; empty files are left out', () => {
    const out = withInstructions('SYSTEM', [
      { path: 'AGENTS.md', text: 'Use tabs.\n' },
      { path: '.bud/instructions.md', text: '   ' },
    ]);
    assert.equal(out, `SYSTEM\n\n${INSTRUCTIONS_HEADING}\n\n--- Begin AGENTS.md ---\nUse tabs.\n--- End AGENTS.md ---`);
    assert.equal(withInstructions('SYSTEM', []), 'SYSTEM');
  });

  it('a file over the limit is not sent, and says why', () => {
    assert.equal(instructionProblem('AGENTS.md', 10), undefined);
    assert.match(
      instructionProblem('AGENTS.md', 200_000) ?? '',
      /^AGENTS\.md is 200,000 characters long, more than the 100,000/,
    );
  });
});
