// A send fits its chat once: the first round of the answer takes the fit made by the check before sending, as long
// as nothing it depends on changed in between; anything else (a summary made meanwhile, a message that grew, a
// later round, another budget) is fitted anew, so what is sent always fits.
import * as assert from 'node:assert/strict';
import { ChatContext, type ContextSetup } from '../../../src/chat/chatContext';
import { ContextPlanner, type PlanInput } from '../../../src/chat/contextPlan';
import { newChat, type StoredChat, type StoredMessage } from '../../../src/chat/conversation';
import { activePath, addChild } from '../../../src/chat/tree';
import { TokenCounter } from '../../../src/context/counter';
import { ContextLimits } from '../../../src/context/limits';

function setup(): { ctx: ChatContext; fits: PlanInput[]; chat: StoredChat; s: ContextSetup } {
  const planner = new ContextPlanner(new TokenCounter());
  const fits: PlanInput[] = [];
  const fit = planner.fit.bind(planner);
  planner.fit = (inp) => {
    fits.push(inp);
    return fit(inp);
  };
  const ctx = new ChatContext(planner, new ContextLimits({ save: () => undefined }));
  const chat = newChat('c', 0);
  let parent: StoredMessage | undefined;
  for (let i = 0; i < 40; i++) {
    const m: StoredMessage = {
      id: `m${i}`,
      role: i % 2 ? 'assistant' : 'user',
      content: `message ${i} `.repeat(20),
      status: 'complete',
      createdAt: i,
    };
    addChild(chat, parent, m);
    parent = m;
  }
  const s: ContextSetup = {
    baseUrl: 'http://x/v1',
    model: 'm',
    systemPrompt: 'SYS',
    settings: { contextWindow: 8192 },
  };
  return { ctx, fits, chat, s };
}

/** What the controller does: the check, the question added, the answer's hooks over the path to the question. */
function send(t: ReturnType<typeof setup>, between?: () => void) {
  const user: StoredMessage = { id: 'q', role: 'user', content: 'the question', status: 'complete', createdAt: 99 };
  assert.equal(t.ctx.checkSend(t.chat, user, t.s, 0), undefined);
  addChild(t.chat, activePath(t.chat).at(-1), user);
  between?.();
  return t.ctx.turnHooks(activePath(t.chat), t.chat, t.s);
}

describe('ChatContext: one fit per send', () => {
  it('the first round takes the check’s fit, and sends the same as a fresh fit', () => {
    const t = setup();
    const hooks = send(t);
    assert.equal(t.fits.length, 1);
    const sent = hooks.prepareRound([], undefined);
    assert.equal(t.fits.length, 1, 'not fitted again');
    const fresh = t.ctx.fit(t.chat, activePath(t.chat), t.s);
    assert.ok(fresh.ok);
    assert.deepEqual(sent.messages, fresh.messages);
    assert.equal(hooks.last()?.tokens, fresh.tokens);
  });

  it('a later round, a summary made in between, a grown message or another window is fitted anew', () => {
    const t = setup();
    const hooks = send(t);
    hooks.prepareRound([], undefined);
    hooks.prepareRound([{ role: 'assistant', content: 'more' }], undefined);
    assert.equal(t.fits.length, 2, 'the second round');

    const withSummary = setup();
    const h2 = send(withSummary, () => {
      withSummary.chat.summary = {
        id: 's',
        text: 'The story so far.',
        throughId: 'm9',
        coveredCount: 10,
        createdAt: 1,
      };
    });
    const sent = h2.prepareRound([], undefined);
    assert.equal(withSummary.fits.length, 2);
    assert.match(String(sent.messages[0].content), /The story so far\./);

    const grown = setup();
    const h3 = send(grown, () => {
      grown.chat.messages[3].content += ' and more';
    });
    const sent3 = h3.prepareRound([], undefined);
    assert.equal(grown.fits.length, 2);
    assert.ok(sent3.messages.some((m) => String(m.content).endsWith(' and more')));

    const window = setup();
    const h4 = send(window, () => {
      window.s.settings = { contextWindow: 4096 };
    });
    h4.prepareRound([], undefined);
    assert.equal(window.fits.length, 2);
  });

  it('is taken once: the hooks of another answer fit anew', () => {
    const t = setup();
    send(t).prepareRound([], undefined);
    t.ctx.turnHooks(activePath(t.chat), t.chat, t.s).prepareRound([], undefined);
    assert.equal(t.fits.length, 2);
  });
});
