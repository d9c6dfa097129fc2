// `@bud`'s request (src/lm/participantCore.ts): the history, `/explain`, and what attached references become —
// read through read_file, with anything cut or refused said to the user.
import * as assert from 'node:assert/strict';
import { EXPLAIN_INSTRUCTION } from '../../../src/chat/prompts';
import {
  formatAttachment,
  participantMessages,
  readFileArgs,
  referenceOutcome,
  TEXT_REFERENCE_MAX_CHARS,
} from '../../../src/lm/participantCore';
import { CAPS } from '../../../src/tools/caps';

const ok = (content: string, summary: string) => ({ content, summary, isError: false });

describe('lm: @bud requests', () => {
  it('sends the system prompt, the earlier turns, then the attachments, the selection and the prompt', () => {
    const msgs = participantMessages(
      'SYS',
      [
        { kind: 'request', prompt: '', command: 'explain' },
        { kind: 'response', text: 'It adds.' },
        { kind: 'response', text: '' },
      ],
      'And this?',
      undefined,
      [{ path: 'a.ts', uri: 'file:///w/a.ts', language: 'typescript', startLine: 2, endLine: 3, text: 'x + y' }],
      [{ label: 'src/math.ts', content: 'src/math.ts — lines 1–1 of 1\n1: export {}' }],
    );
    assert.deepEqual(
      msgs.slice(0, 3).map((m) => [m.role, m.content]),
      [
        ['system', 'SYS'],
        ['user', EXPLAIN_INSTRUCTION],
        ['assistant', 'It adds.'],
      ],
    );
    const last = String(msgs[3].content);
    assert.equal(msgs.length, 4);
    assert.ok(
      last.startsWith('Attached by the user: src/math.ts\n\n```\nsrc/math.ts — lines 1–1 of 1\n1: export {}\n```'),
    );
    assert.match(last, /From `a\.ts`, lines 2-3 \(typescript\):\n\n```typescript\nx \+ y\n```\n\nAnd this\?$/);
  });

  it('fences an attachment so its own backticks cannot close the fence', () => {
    assert.equal(
      formatAttachment({ label: 'x', content: 'a ```` b' }),
      'Attached by the user: x\n\n`````\na ```` b\n`````',
    );
  });

  it('asks read_file for a whole file as far as one call may read, or for the lines attached', () => {
    assert.deepEqual(readFileArgs({ fsPath: '/w/a.ts' }), {
      path: '/w/a.ts',
      start_line: 1,
      end_line: CAPS.readMaxLines,
    });
    assert.deepEqual(readFileArgs({ fsPath: '/w/a.ts', lines: { start: 5, end: 9 } }), {
      path: '/w/a.ts',
      start_line: 5,
      end_line: 9,
    });
    assert.equal(readFileArgs({ fsPath: 'a', lines: { start: 10, end: 5000 } }).end_line, 10 + CAPS.readMaxLines - 1);
  });
});

describe('lm: references attached to @bud', () => {
  const file = { kind: 'file' as const, fsPath: '/w/src/math.ts' };

  it('a whole file is attached as read_file gave it, without a note', () => {
    const content = 'src/math.ts — lines 1–3 of 3\n1: a\n2: b\n3: c';
    assert.deepEqual(referenceOutcome(file, ok(content, '3 lines of src/math.ts')), {
      attachment: { label: 'src/math.ts', content },
    });
  });

  it('a file longer than one read says what was sent', () => {
    const content =
      'big.ts — lines 1–1000 of 5000\n1: a\n[More lines follow (at most 1000 lines per call): call read_file with start_line=1001 to read on.]';
    const r = referenceOutcome({ kind: 'file', fsPath: '/w/big.ts' }, ok(content, 'Lines 1–1000 of 5000 in big.ts'));
    assert.equal(r.attachment?.content, content);
    assert.equal(r.note, 'Only part of big.ts was sent (Lines 1–1000 of 5000 in big.ts).');
  });

  it('a range is sent without read_file’s invitation to read on; a cut range says so', () => {
    const range = { ...file, lines: { start: 2, end: 3 } };
    const content =
      'src/math.ts — lines 2–3 of 9\n2: b\n3: c\n[More lines follow: call read_file with start_line=4 to read on.]';
    assert.deepEqual(referenceOutcome(range, ok(content, 'Lines 2–3 of 9 in src/math.ts')), {
      attachment: { label: 'src/math.ts', content: 'src/math.ts — lines 2–3 of 9\n2: b\n3: c' },
    });
    const cut = referenceOutcome(
      range,
      ok(
        'src/math.ts — lines 2–3 of 9\n2: b\n[… 1 line left out to keep this result under 100 characters. …]',
        'Lines 2–3 of 9 in src/math.ts (1 lines cut to fit)',
      ),
    );
    assert.match(cut.note ?? '', /^Only part of src\/math\.ts was sent/);
  });

  it('an empty file is attached as empty', () => {
    assert.deepEqual(referenceOutcome(file, ok('src/e.ts is empty (0 lines).', 'src/e.ts is empty')), {
      attachment: { label: 'src/e.ts', content: 'src/e.ts is empty (0 lines).' },
    });
  });

  it('a refused file is not sent, and the refusal is said', () => {
    const r = referenceOutcome(
      { kind: 'file', fsPath: '/etc/passwd' },
      { content: 'Error: "/etc/passwd" is outside the workspace folders.', summary: 'x', isError: true },
    );
    assert.deepEqual(r, { note: 'Not sent: "/etc/passwd" is outside the workspace folders.' });
  });

  it('text is sent up to a cap (the cut is said); anything else is named and not sent', () => {
    assert.deepEqual(referenceOutcome({ kind: 'text', name: '#terminal', text: 'ls' }), {
      attachment: { label: '#terminal', content: 'ls' },
    });
    const long = referenceOutcome({ kind: 'text', name: '#t', text: 'x'.repeat(TEXT_REFERENCE_MAX_CHARS + 5) });
    assert.equal(long.attachment?.content.length, TEXT_REFERENCE_MAX_CHARS);
    assert.match(long.note ?? '', /^Only the first 20,000 of 20,005 characters of #t were sent\.$/);
    assert.deepEqual(
      referenceOutcome({ kind: 'other', name: '#image', why: 'Bud sends files, ranges of files and text' }),
      {
        note: 'Not sent: #image (Bud sends files, ranges of files and text).',
      },
    );
  });
});
