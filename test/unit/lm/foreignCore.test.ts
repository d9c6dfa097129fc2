// Other extensions' tools in Bud's chat (src/lm/foreignCore.ts): asked for before each call, remembered as the user
// answered ("Always allow" for the workspace, "Deny" for the session), output cleaned and capped, the composite with
// Bud's own tools, and the broker that asks in the chat.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import type { ToolCall } from '../../../src/api/types';
import type { HostMessage } from '../../../src/protocol';
import type { ToolExecutor } from '../../../src/tools/port';
import {
  ApprovalBroker,
  compositeExecutor,
  createForeignToolExecutor,
  forgetMessage,
  sanitizeToolOutput,
  type Approval,
  type ApprovalPort,
  type ApprovalRequest,
  type ForeignTool,
  type RememberedApproval,
} from '../../../src/lm/foreignCore';
import { itHolds } from '../fuzz/property';

const ECHO: ForeignTool = { name: 'fixture_echo', description: 'Echo', source: 'Extension Fixture' };
const MCP: ForeignTool = { name: 'mcp.github/issues', description: 'Issues', source: 'MCP server github' };

const callOf = (id: string, name: string, args: unknown = { text: 'hi' }): ToolCall => ({
  id,
  type: 'function',
  function: { name, arguments: typeof args === 'string' ? args : JSON.stringify(args) },
});

/** A port that records invocations, and approvals that answer from a queue and remember like the host does. */
function setup(answers: Approval[] = [], tools: ForeignTool[] = [ECHO, MCP]) {
  const invoked: { name: string; input: object }[] = [];
  const asked: ApprovalRequest[] = [];
  const memory = new Map<string, RememberedApproval>();
  const approvals: ApprovalPort = {
    remembered: (name) => memory.get(name),
    remember: (name, answer) => {
      memory.set(name, answer);
    },
    ask: (req) => {
      asked.push(req);
      return Promise.resolve(answers.shift() ?? 'deny');
    },
  };
  const executor = createForeignToolExecutor(
    {
      list: () => tools,
      invoke: (name, input) => {
        invoked.push({ name, input });
        return Promise.resolve(`ran ${name}`);
      },
    },
    approvals,
  );
  return { executor, invoked, asked, memory };
}

const signal = () => new AbortController().signal;
const offered = (e: ToolExecutor) => e.definitions().map((d) => d.function.name);

describe("lm: other extensions' tools in Bud's chat", () => {
  it('asks before every call; Allow once runs it and asks again next time', async () => {
    const { executor, invoked, asked } = setup(['once', 'once']);
    const r1 = await executor.execute(callOf('c1', 'fixture_echo'), signal());
    assert.deepEqual(r1, { content: 'ran fixture_echo', summary: 'ran fixture_echo', isError: false });
    await executor.execute(callOf('c2', 'fixture_echo'), signal());
    assert.deepEqual(
      asked.map((a) => [a.callId, a.name, a.source]),
      [
        ['c1', 'fixture_echo', 'Extension Fixture'],
        ['c2', 'fixture_echo', 'Extension Fixture'],
      ],
    );
    assert.deepEqual(invoked, [
      { name: 'fixture_echo', input: { text: 'hi' } },
      { name: 'fixture_echo', input: { text: 'hi' } },
    ]);
  });

  it('Always allow is remembered: later calls of that tool run without a question, other tools still ask', async () => {
    const { executor, invoked, asked, memory } = setup(['always', 'once']);
    await executor.execute(callOf('c1', 'fixture_echo'), signal());
    await executor.execute(callOf('c2', 'fixture_echo'), signal());
    assert.equal(memory.get('fixture_echo'), 'always');
    assert.equal(asked.length, 1);
    const mcpName = offered(executor)[1];
    await executor.execute(callOf('c3', mcpName), signal());
    assert.deepEqual(
      asked.map((a) => a.name),
      ['fixture_echo', 'mcp.github/issues'],
    );
    assert.equal(invoked.length, 3);
  });

  it('Deny does not run it, tells the model, and takes the tool out of the offer for the session', async () => {
    const { executor, invoked, asked, memory } = setup(['deny']);
    assert.ok(offered(executor).includes('fixture_echo'));
    const r = await executor.execute(callOf('c1', 'fixture_echo'), signal());
    assert.equal(r.isError, true);
    assert.match(r.content, /^The user denied this tool call/);
    assert.equal(r.summary, 'Denied: not run');
    assert.equal(memory.get('fixture_echo'), 'deny');
    assert.equal(offered(executor).includes('fixture_echo'), false, 'not offered again');
    // A model that calls it anyway (a second call of the same round) is refused without a second question.
    const again = await executor.execute(callOf('c2', 'fixture_echo'), signal());
    assert.match(again.content, /denied this tool earlier in this session/);
    assert.equal(asked.length, 1);
    assert.deepEqual(invoked, []);
  });

  it('Stop while asking is not a Deny: nothing runs and nothing is remembered', async () => {
    const { executor, invoked, memory } = setup(['deny']);
    const abort = new AbortController();
    abort.abort();
    const r = await executor.execute(callOf('c1', 'fixture_echo'), abort.signal);
    assert.equal(r.isError, true);
    assert.equal(memory.size, 0);
    assert.deepEqual(invoked, []);
    assert.ok(offered(executor).includes('fixture_echo'));
  });

  it('bad arguments and vanished tools are explained without asking', async () => {
    const { executor, asked } = setup();
    for (const args of ['{nope', '[1,2]', '"text"', 'null']) {
      const r = await executor.execute(callOf('c', 'fixture_echo', args), signal());
      assert.equal(r.isError, true, args);
      assert.match(r.content, /^Error: the arguments (are not valid JSON|must be a JSON object)/, args);
    }
    const gone = await executor.execute(callOf('c', 'removed_tool'), signal());
    assert.match(gone.content, /no longer available/);
    assert.equal(asked.length, 0);
  });

  it("a tool's failure comes back as an error result, cleaned", async () => {
    const executor = createForeignToolExecutor(
      { list: () => [ECHO], invoke: () => Promise.reject(new Error('boom \u001b[31mred\u001b[0m\u202e')) },
      { remembered: () => 'always', remember: () => undefined, ask: () => Promise.resolve('once') },
    );
    const r = await executor.execute(callOf('c', 'fixture_echo'), signal());
    assert.deepEqual(r, { content: 'Error: fixture_echo failed: boom red', summary: 'boom red', isError: true });
  });

  it('the source of each tool is known for the call row', () => {
    const { executor } = setup();
    const [echo, mcp] = offered(executor);
    assert.equal(executor.sourceOf?.(echo), 'Extension Fixture');
    assert.equal(executor.sourceOf?.(mcp), 'MCP server github');
    assert.equal(executor.sourceOf?.('read_file'), undefined);
  });

  it('says what the Forget command forgot', () => {
    assert.equal(
      forgetMessage(2, 1),
      "Bud forgot the 2 tools you always allowed in this workspace and the 1 tool you denied in this session: each call of another extension's tool asks again.",
    );
    assert.match(forgetMessage(0, 0), /^No tool is always allowed/);
  });
});

describe('lm: the output of other extensions’ tools', () => {
  it('drops terminal escapes, control and bidirectional-override characters; keeps tabs, newlines and text', () => {
    assert.equal(
      sanitizeToolOutput('a\u001b[1;31mb\u001b[0m\u001b]8;;http://x\u0007c\u0007\r\nd\te\u202eé👋\u0000'),
      'abc\nd\teé👋',
    );
  });

  it('caps the text and says how much was not sent', () => {
    const out = sanitizeToolOutput('x'.repeat(120), 100);
    assert.equal(out, `${'x'.repeat(100)}\n[… 20 more characters of this tool's output were not sent]`);
  });

  itHolds(
    'property: cleaned output has no escape, control (but tab and newline) or bidi-override character, and stays within the cap',
    { numRuns: 300, timeLimitMs: 5000 },
    () =>
      fc.property(
        fc.string({
          unit: fc.oneof(
            fc.constantFrom(
              '\u001b',
              '[',
              '3',
              '1',
              'm',
              ']',
              '\u0007',
              '\r',
              '\n',
              '\t',
              '\u202e',
              '\u2066',
              '\u0085',
            ),
            fc.string({ minLength: 1, maxLength: 1 }),
          ),
          maxLength: 300,
        }),
        fc.integer({ min: 10, max: 200 }),
        (text, max) => {
          const out = sanitizeToolOutput(text, max);
          const body = out.replace(/\n\[… [\d,]+ more characters of this tool's output were not sent\]$/, '');
          assert.ok(body.length <= max, `${body.length} > ${max}`);
          // eslint-disable-next-line no-control-regex
          assert.doesNotMatch(body, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
        },
      ),
  );
});

describe('lm: Bud’s tools and others’ side by side', () => {
  const fake = (names: string[], tag: string): ToolExecutor => ({
    definitions: () =>
      names.map((name) => ({ type: 'function', function: { name, description: tag, parameters: {} } })),
    execute: (call) => Promise.resolve({ content: `${tag}:${call.function.name}`, summary: '', isError: false }),
    sourceOf: (name) => (tag === 'own' ? undefined : `${tag} ${name}`),
  });

  it('offers both, Bud’s first; a name clash goes to Bud’s own tool; calls go to the owner', async () => {
    const both = compositeExecutor([fake(['read_file', 'x'], 'own'), undefined, fake(['x', 'echo'], 'other')]);
    assert.deepEqual(
      both.definitions().map((d) => [d.function.name, d.function.description]),
      [
        ['read_file', 'own'],
        ['x', 'own'],
        ['echo', 'other'],
      ],
    );
    assert.equal((await both.execute(callOf('1', 'echo'), signal())).content, 'other:echo');
    assert.equal((await both.execute(callOf('2', 'x'), signal())).content, 'own:x');
    assert.equal(both.sourceOf?.('echo'), 'other echo');
    assert.equal(both.sourceOf?.('read_file'), undefined);
  });

  it('a call of a tool that is known but no longer offered (denied this session) still goes to its owner', async () => {
    const { executor } = setup(['deny']);
    const both = compositeExecutor([fake(['read_file'], 'own'), executor]);
    await both.execute(callOf('1', 'fixture_echo'), signal());
    assert.equal(
      both.definitions().some((d) => d.function.name === 'fixture_echo'),
      false,
    );
    assert.match((await both.execute(callOf('2', 'fixture_echo'), signal())).content, /denied this tool earlier/);
  });
});

describe('lm: the approval question in the chat', () => {
  const req = (callId: string): ApprovalRequest => ({
    callId,
    name: 'fixture_echo',
    source: 'Extension F',
    argsText: '{}',
  });

  it('posts the question, resolves with the click, and posts that it is answered', async () => {
    const posted: HostMessage[] = [];
    const broker = new ApprovalBroker((m) => posted.push(m));
    const answer = broker.ask(req('c1'), signal());
    assert.deepEqual(broker.waiting, ['c1']);
    broker.answer('unknown', 'once');
    broker.answer('c1', 'always');
    assert.equal(await answer, 'always');
    assert.deepEqual(posted, [
      { type: 'toolApproval', callId: 'c1', name: 'fixture_echo', source: 'Extension F' },
      { type: 'toolApprovalDone', callId: 'c1' },
    ]);
    assert.deepEqual(broker.waiting, []);
  });

  it('Stop answers deny; a recreated view is asked again', async () => {
    const posted: HostMessage[] = [];
    const broker = new ApprovalBroker((m) => posted.push(m));
    const abort = new AbortController();
    const answer = broker.ask(req('c2'), abort.signal);
    broker.repost();
    assert.equal(posted.filter((m) => m.type === 'toolApproval').length, 2);
    abort.abort();
    assert.equal(await answer, 'deny');
    assert.equal(await broker.ask(req('c3'), abort.signal), 'deny', 'an already stopped turn is not asked');
  });
});
