// The chat view (dist/webview.js) in Chromium under the host's real HTML and CSP, with a fake VS Code API that
// records what the view posts. Host messages go in as window messages, exactly as VS Code delivers them; the
// tests assert what a user sees (DOM, labels, focus) and what reaches the host.
import * as assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { ChatSummary } from '../../src/protocol';
import { launchBrowser, openApp, useAppPage, type AppPage } from './appSupport';
import { assistantMsg, chat, context, init, MARKDOWN_ANSWER, status, userMsg } from './appFixtures';

describe('chat view (webview app in Chromium)', function () {
  this.timeout(60_000);
  const page = useAppPage();
  let browser: Browser;
  let app: AppPage;
  beforeEach(() => {
    app = page.app();
    browser = page.browser();
  });

  const text = (sel: string) => app.page.locator(sel).innerText();

  describe('empty state', () => {
    it('posts ready once and shows Set API Key when no key is found', async () => {
      const readies = await app.postsOf('ready');
      assert.equal(readies.length, 1);
      await app.send(init({ status: { hasApiKey: false, keySource: 'none' } }));
      await app.page.locator('#empty-state').waitFor({ state: 'visible' });
      assert.match(await text('#empty-state'), /Bud Chat answers questions about your code/);
      const setKey = app.page.locator('#empty-state button[data-action="setApiKey"]');
      assert.equal(await setKey.innerText(), 'Set API Key');
      assert.equal(await app.page.locator('#messages').isVisible(), false);
      await setKey.click();
      assert.deepEqual(await app.postsOf('action'), [{ type: 'action', action: 'setApiKey' }]);
      await app.screenshot('browser-empty-no-key-dark');
    });

    it('hides Set API Key once a key exists (demo counts) and offers example prompts that send', async () => {
      await app.send(init({ status: { hasApiKey: false, keySource: 'demo' } }));
      assert.equal(await app.page.locator('#empty-state [data-action="setApiKey"]').count(), 0);
      assert.match(await text('#empty-state'), /Demo mode/);
      const prompts = app.page.locator('#empty-state .example-prompt');
      assert.ok((await prompts.count()) >= 3, 'three or more example prompts');
      assert.match(await text('#empty-state'), /Explain Selection/);
      const first = await prompts.first().innerText();
      await prompts.first().click();
      assert.deepEqual(await app.postsOf('send'), [{ type: 'send', text: first }]);
    });

    it('fills the input instead of sending while there is no key', async () => {
      await app.send(init({ status: { hasApiKey: false, keySource: 'none' } }));
      const prompt = app.page.locator('#empty-state .example-prompt').nth(1);
      const promptText = await prompt.innerText();
      await prompt.click();
      assert.equal(await app.page.locator('#input').inputValue(), promptText);
      assert.deepEqual(await app.postsOf('send'), []);
    });
  });

  describe('composer', () => {
    beforeEach(async () => {
      await app.send(init());
    });

    it('labels the input and sends on Enter, clearing it', async () => {
      const input = app.page.getByRole('textbox', { name: 'Message Bud' });
      await input.click();
      await app.page.keyboard.type('How do I parse CSV?');
      await app.page.keyboard.press('Enter');
      assert.deepEqual(await app.postsOf('send'), [{ type: 'send', text: 'How do I parse CSV?' }]);
      await app.page.waitForFunction(() => document.querySelector<HTMLTextAreaElement>('#input')!.value === '');
    });

    it('posts the message before it touches the page, and keeps what is typed right after Enter', async () => {
      // The browser draws any change made in the Enter task before it relays the posted message to the extension
      // host (same thread): the box empties only after the queued tasks ran. Keys typed meanwhile stay.
      const input = app.page.locator('#input');
      await input.click();
      await app.page.keyboard.type('First question');
      const seen = await app.page.evaluate(
        () =>
          new Promise<{ atPost: string; sameTask: string; typedAhead: string }>((resolve) => {
            const box = document.querySelector<HTMLTextAreaElement>('#input')!;
            const posts = (window as unknown as { __posts: unknown[] }).__posts;
            const push = posts.push.bind(posts);
            let atPost = '';
            posts.push = (...items: unknown[]) => {
              atPost = box.value;
              return push(...items);
            };
            box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
            const sameTask = box.value;
            box.value += ' and';
            box.dispatchEvent(new Event('input', { bubbles: true }));
            const deadline = Date.now() + 2000;
            const wait = () => {
              if (box.value === ' and' || Date.now() > deadline) resolve({ atPost, sameTask, typedAhead: box.value });
              else setTimeout(wait, 5);
            };
            wait();
          }),
      );
      assert.deepEqual(seen, { atPost: 'First question', sameTask: 'First question', typedAhead: ' and' });
      assert.deepEqual(await app.postsOf('send'), [{ type: 'send', text: 'First question' }]);
    });

    it('adds a line on Shift+Enter without sending, and the input grows', async () => {
      const input = app.page.locator('#input');
      await input.click();
      const h1 = (await input.boundingBox())!.height;
      await app.page.keyboard.type('line one');
      await app.page.keyboard.press('Shift+Enter');
      await app.page.keyboard.type('line two');
      await app.page.keyboard.press('Shift+Enter');
      await app.page.keyboard.type('line three');
      assert.equal(await input.inputValue(), 'line one\nline two\nline three');
      assert.deepEqual(await app.postsOf('send'), []);
      const h2 = (await input.boundingBox())!.height;
      assert.ok(h2 > h1 + 20, `textarea grew from ${h1}px to ${h2}px`);
    });

    it('recalls the last sent message with Up in an empty input, and older ones with Up again', async () => {
      await app.send(init({ chat: chat([userMsg('first question'), assistantMsg('answer')]) }));
      const input = app.page.locator('#input');
      await input.click();
      await app.page.keyboard.type('second question');
      await app.page.keyboard.press('Enter');
      await app.page.keyboard.press('ArrowUp');
      assert.equal(await input.inputValue(), 'second question');
      await app.page.keyboard.press('ArrowUp');
      assert.equal(await input.inputValue(), 'first question');
      await app.page.keyboard.press('ArrowDown');
      assert.equal(await input.inputValue(), 'second question');
    });

    it('does not recall over text being typed', async () => {
      await app.send(init({ chat: chat([userMsg('old')]) }));
      await app.page.locator('#input').click();
      await app.page.keyboard.type('new text');
      await app.page.keyboard.press('ArrowUp');
      assert.equal(await app.page.locator('#input').inputValue(), 'new text');
    });

    it('refuses a message over 1,000,000 characters and says why', async () => {
      const big = 'x'.repeat(1_000_001);
      await app.page.locator('#input').fill(big);
      const msg = app.page.locator('.composer-message');
      await msg.waitFor({ state: 'visible' });
      assert.match(
        await msg.innerText(),
        /1,000,001 characters.*at most 1,000,000.*will not be sent/,
        'said while typing',
      );
      await app.page.locator('#input').press('Enter');
      assert.deepEqual(await app.postsOf('send'), []);
      assert.match(await msg.innerText(), /1,000,001 characters.*at most 1,000,000/);
      assert.equal((await app.page.locator('#input').inputValue()).length, 1_000_001, 'the text stays for editing');
    });

    it('keeps an unsent draft in the view state, and nothing else but scroll position', async () => {
      await app.page.locator('#input').fill('half-typed');
      await app.page.waitForFunction(() => (window as any).__state?.draft === 'half-typed');
      const state = (await app.state()) as Record<string, unknown>;
      assert.deepEqual(
        Object.keys(state)
          .sort()
          .filter((k) => !['atBottom', 'chatId', 'draft', 'scrollTop'].includes(k)),
        [],
      );
    });

    it('restores the draft when the view is recreated', async () => {
      const again = await openApp(browser, { state: { draft: 'restored draft', chatId: 'chat-1' } });
      try {
        await again.send(init());
        assert.equal(await again.page.locator('#input').inputValue(), 'restored draft');
      } finally {
        await again.close();
      }
    });
  });

  describe('streaming, Stop and errors', () => {
    const u = userMsg('Explain parseLine');
    const a = assistantMsg('', { status: 'streaming' });
    beforeEach(async () => {
      await app.send(init());
      await app.send({ type: 'messageAdded', message: u }, { type: 'messageAdded', message: a });
    });

    it('turns Send into Stop while an answer streams, and Stop posts stop at once', async () => {
      const send = app.page.locator('#send');
      assert.equal(await send.getAttribute('data-mode'), 'stop');
      assert.equal(await send.getAttribute('aria-label'), 'Stop');
      await send.click();
      assert.deepEqual(await app.postsOf('stop'), [{ type: 'stop' }]);
    });

    it('stops with Escape too', async () => {
      await app.page.locator('#input').focus();
      await app.page.keyboard.press('Escape');
      assert.deepEqual(await app.postsOf('stop'), [{ type: 'stop' }]);
    });

    it('streams text into the answer without making screen readers read every token', async () => {
      await app.send(
        { type: 'answerDelta', id: a.id, text: 'Hello ' },
        { type: 'answerDelta', id: a.id, text: 'world' },
      );
      const content = app.page.locator(`.message.assistant[data-id="${a.id}"] .content`);
      await app.page.waitForFunction(
        (id) => document.querySelector(`.message[data-id="${id}"] .content`)?.textContent?.includes('Hello world'),
        a.id,
      );
      assert.equal(await content.getAttribute('aria-live'), null, 'not a live region while tokens arrive');
      assert.equal(await app.page.locator('#messages').getAttribute('aria-live'), 'off');
      assert.equal(await content.getAttribute('aria-busy'), 'true');
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(await app.page.locator('#announcer').textContent(), '', 'nothing announced per token');
      await app.send({
        type: 'answerEnded',
        id: a.id,
        status: 'complete',
        usage: { prompt_tokens: 1200, completion_tokens: 345, total_tokens: 1545 },
      });
      assert.equal(await content.getAttribute('aria-busy'), 'false');
      await app.page.locator('#announcer', { hasText: 'Bud answered: Hello world' }).waitFor();
      assert.equal(await app.page.locator('#send').getAttribute('data-mode'), 'send');
      assert.match(
        (await app.page.locator('#usage').getAttribute('title')) ?? '',
        /1,200 prompt \+ 345 completion = 1,545 tokens/,
      );
      assert.match(
        (await app.page.locator('#usage .sr-only').textContent()) ?? '',
        /1,200 prompt tokens and 345 completion tokens, 1,545 in total/,
      );
      assert.match(await text('#usage'), /1,545 tokens/);
    });

    it('blinks the caret by a timer: no CSS animation runs while text streams', async () => {
      await app.send({ type: 'answerDelta', id: a.id, text: 'Hello world' });
      const last = `.message[data-id="${a.id}"] .content > .md-chunk:last-child > :last-child`;
      await app.page.locator(last).waitFor();
      // an infinite CSS animation would have the browser draw every frame while the answer streams
      const running = () =>
        app.page.evaluate(() => document.getAnimations().map((x) => (x as CSSAnimation).animationName ?? x.id));
      assert.deepEqual(await running(), []);
      await app.page.waitForFunction((sel) => document.querySelector(sel)?.classList.contains('caret-off'), last);
      await app.page.waitForFunction((sel) => !document.querySelector(sel)?.classList.contains('caret-off'), last);
      assert.deepEqual(await running(), []);
      await app.send({ type: 'answerEnded', id: a.id, status: 'complete' });
      assert.equal(await app.page.locator('.caret-off').count(), 0, 'no blink state left behind');
    });

    it('keeps the partial answer marked Stopped', async () => {
      await app.send({ type: 'answerDelta', id: a.id, text: 'Partial answer that was' });
      await app.send({ type: 'answerEnded', id: a.id, status: 'stopped' });
      const msg = app.page.locator(`.message[data-id="${a.id}"]`);
      assert.equal(await msg.getAttribute('data-status'), 'stopped');
      assert.match(await msg.locator('.content').innerText(), /Partial answer that was/);
      assert.match(await msg.locator('.status-badge').innerText(), /Stopped/);
      assert.equal(await app.page.locator('#send').getAttribute('data-mode'), 'send');
      // The stopped answer can be asked again from where it stands.
      await msg.locator('button[data-action="retry"]').click();
      assert.deepEqual((await app.posts()).at(-1), { type: 'action', action: 'retry' });
    });

    it('shows an inline error with its actions and details, under the partial text', async () => {
      await app.send({ type: 'answerDelta', id: a.id, text: 'Some text before the failure' });
      await app.send({
        type: 'answerEnded',
        id: a.id,
        status: 'error',
        error: {
          kind: 'auth',
          message: 'The gateway rejected the API key (401). Set a valid key.',
          status: 401,
          requestId: 'req_abc123',
          url: 'https://gateway.bud.studio/v1/chat/completions',
          actions: ['setApiKey', 'showLog'],
        },
      });
      const msg = app.page.locator(`.message[data-id="${a.id}"]`);
      assert.equal(await msg.getAttribute('data-status'), 'error');
      assert.match(await msg.locator('.content').innerText(), /Some text before the failure/);
      const err = msg.locator('.inline-error');
      assert.equal(await err.getAttribute('role'), 'alert');
      assert.match(await err.innerText(), /rejected the API key/);
      assert.match(
        await err.innerText(),
        /HTTP 401 · request ID req_abc123 · https:\/\/gateway\.bud\.studio\/v1\/chat\/completions/,
      );
      assert.deepEqual(await err.locator('button[data-action]').allInnerTexts(), ['Set API Key', 'Show Log']);
      await err.locator('button[data-action="setApiKey"]').click();
      await err.locator('button[data-action="showLog"]').click();
      assert.deepEqual(await app.postsOf('action'), [
        { type: 'action', action: 'setApiKey' },
        { type: 'action', action: 'showLog' },
      ]);
      await app.screenshot('browser-inline-error-dark');
    });

    it('shows a counting-down retry line until the first byte arrives', async () => {
      await app.send({
        type: 'retrying',
        id: a.id,
        attempt: 1,
        maxRetries: 3,
        delayMs: 4000,
        reason: 'Server error (503).',
      });
      const retry = app.page.locator(`.message[data-id="${a.id}"] .retry-status`);
      assert.match(await retry.innerText(), /Retrying in 4 s \(attempt 1 of 3\)…/);
      await app.page.waitForFunction(
        (id) =>
          /Retrying in [23] s/.test(
            document.querySelector(`.message[data-id="${id}"] .retry-status`)?.textContent ?? '',
          ),
        a.id,
        { timeout: 5000 },
      );
      await app.send({ type: 'answerDelta', id: a.id, text: 'Finally' });
      assert.equal(await retry.count(), 0);
    });

    it('replaces a failed answer on retry (messagesRemoved), offering actions only on the latest answer', async () => {
      await app.send({
        type: 'answerEnded',
        id: a.id,
        status: 'error',
        error: { kind: 'connection', message: 'The connection dropped.', actions: ['retry', 'testConnection'] },
      });
      await app.page.locator('.inline-error button[data-action="retry"]').click();
      assert.deepEqual(await app.postsOf('action'), [{ type: 'action', action: 'retry' }]);
      const b = assistantMsg('', { status: 'streaming' });
      await app.send({ type: 'messagesRemoved', ids: [a.id] }, { type: 'messageAdded', message: b });
      assert.equal(await app.page.locator(`.message[data-id="${a.id}"]`).count(), 0);
      assert.equal(await app.page.locator('.message').count(), 2);
    });

    it('shows tool calls as compact rows with a spinner, then the summary and duration', async () => {
      await app.send({
        type: 'toolCall',
        id: a.id,
        call: { id: 'call_1', name: 'read_file', argsText: '{"path":"src/util/parse.ts"}', state: 'running' },
      });
      const row = app.page.locator('.tool-call[data-call-id="call_1"]');
      assert.equal(await row.getAttribute('data-state'), 'running');
      assert.equal(await row.locator('.codicon-loading.codicon-modifier-spin').count(), 1);
      assert.match(await row.locator('summary').innerText(), /read_file\s+src\/util\/parse\.ts/);
      await app.send({
        type: 'toolCall',
        id: a.id,
        call: {
          id: 'call_1',
          name: 'read_file',
          argsText: '{"path":"src/util/parse.ts"}',
          state: 'done',
          summary: '42 lines of src/util/parse.ts',
          durationMs: 380,
        },
      });
      assert.equal(await app.page.locator('.tool-call').count(), 1, 'updated in place');
      assert.match(await row.locator('summary').innerText(), /42 lines of src\/util\/parse\.ts/);
      assert.match(await row.locator('summary').innerText(), /0\.4 s/);
      await app.send({
        type: 'toolCall',
        id: a.id,
        call: {
          id: 'call_2',
          name: 'search_workspace',
          argsText: '{"query":"parseLine"}',
          state: 'error',
          summary: 'Path is outside the workspace',
        },
      });
      assert.equal(await app.page.locator('.tool-call[data-call-id="call_2"]').getAttribute('data-state'), 'error');
      await row.locator('summary').click();
      assert.match(await row.locator('.tool-call-args').innerText(), /"path": "src\/util\/parse\.ts"/);
    });

    it('keeps reasoning in a collapsed Reasoning section', async () => {
      await app.send({ type: 'answerDelta', id: a.id, text: '', reasoning: 'Think about quotes first.' });
      const details = app.page.locator(`.message[data-id="${a.id}"] details.reasoning`);
      assert.equal(await details.count(), 1);
      assert.equal(await details.evaluate((d) => (d as HTMLDetailsElement).open), false);
      assert.match(await details.locator('summary').innerText(), /Reasoning/);
      await details.locator('summary').click();
      assert.match(await details.locator('.reasoning-body').innerText(), /Think about quotes first\./);
    });
  });

  describe('rendered answers', () => {
    it('renders restored answers as Markdown, with working code buttons and links through the host', async () => {
      await app.send(init({ chat: chat([userMsg('How do I parse CSV lines?'), assistantMsg(MARKDOWN_ANSWER)]) }));
      const content = app.page.locator('.message.assistant .content');
      await content.locator('h2').waitFor();
      assert.equal(await content.locator('h2').innerText(), 'Parsing CSV lines');
      assert.equal(await content.locator('li').count(), 3);
      assert.equal(await content.locator('table').count(), 1);
      const block = content.locator('.code-block').first();
      assert.equal(await block.getAttribute('data-lang'), 'ts');
      const copy = block.locator('[data-code-action="copy"]');
      await copy.click();
      const [copied] = await app.postsOf('copyCode');
      assert.match(copied.code, /^export function parseLine\(line: string\): string\[\] \{/);
      assert.equal(await copy.getAttribute('aria-label'), 'Copied');
      await block.locator('[data-code-action="insert"]').click();
      await block.locator('[data-code-action="open"]').click();
      assert.equal((await app.postsOf('insertCode'))[0].code, copied.code);
      assert.deepEqual(await app.postsOf('openCodeInEditor'), [
        { type: 'openCodeInEditor', code: copied.code, language: 'ts' },
      ]);
      const link = content.locator('a[href]').first();
      assert.deepEqual(await app.postsOf('openLink'), [], 'no link is opened without a click');
      await link.click();
      assert.deepEqual(await app.postsOf('openLink'), [
        { type: 'openLink', href: 'https://www.rfc-editor.org/rfc/rfc4180' },
      ]);
      assert.equal(app.page.url(), 'http://bud-webview.test/index.html', 'the webview did not navigate');
    });

    it('streams Markdown and finishes it on answerEnded', async () => {
      await app.send(init());
      const a = assistantMsg('', { status: 'streaming' });
      await app.send({ type: 'messageAdded', message: userMsg('CSV?') }, { type: 'messageAdded', message: a });
      for (let i = 0; i < MARKDOWN_ANSWER.length; i += 40)
        await app.send({ type: 'answerDelta', id: a.id, text: MARKDOWN_ANSWER.slice(i, i + 40) });
      await app.send({ type: 'answerEnded', id: a.id, status: 'complete' });
      const content = app.page.locator('.message.assistant .content');
      await content.locator('.code-block [data-code-action="copy"]').waitFor();
      assert.equal(await content.locator('h2').innerText(), 'Parsing CSV lines');
      await app.screenshot('browser-answer-dark');
    });

    it('labels a code block with its language in the toolbar, and not over the code while the block is open', async () => {
      await app.send(init());
      const a = assistantMsg('', { status: 'streaming' });
      await app.send({ type: 'messageAdded', message: userMsg('Code?') }, { type: 'messageAdded', message: a });
      await app.send({ type: 'answerDelta', id: a.id, text: 'Here:\n\n```ts\nconst total = 1;\n' });
      const block = app.page.locator('.message.assistant .code-block');
      await block.locator('code', { hasText: 'const total' }).waitFor();
      const label = () => block.evaluate((el) => getComputedStyle(el, '::before').content);
      assert.equal(await label(), 'none', 'no label while the block streams (it has no toolbar row to sit in)');
      await app.send({ type: 'answerDelta', id: a.id, text: '```\n' });
      await block.locator('.code-toolbar').waitFor();
      assert.equal(await label(), '"ts"');
      await app.send({ type: 'answerEnded', id: a.id, status: 'complete' });
    });
  });

  describe('code chips', () => {
    it('shows chips on a user message that open the file at the range, by mouse and keyboard', async () => {
      await app.send(init({ chat: chat([userMsg('Explain this code', { contexts: [context()] })]) }));
      const chip = app.page.locator('.message.user .context-chip');
      assert.equal(await chip.innerText(), 'parse.ts:12-20');
      assert.equal(await chip.getAttribute('data-uri'), 'file:///work/sample/src/util/parse.ts');
      assert.equal(await chip.getAttribute('data-start'), '12');
      assert.equal(await chip.getAttribute('data-end'), '20');
      assert.equal(await chip.locator('.codicon-file-code').count(), 1);
      await chip.click();
      await chip.focus();
      await app.page.keyboard.press('Enter');
      const expected = {
        type: 'openContext',
        uri: 'file:///work/sample/src/util/parse.ts',
        startLine: 12,
        endLine: 20,
      };
      assert.deepEqual(await app.postsOf('openContext'), [expected, expected]);
    });

    it('shows pending chips above the input that can be removed', async () => {
      await app.send(
        init({
          pendingContexts: [
            context(),
            context({ path: 'README.md', uri: 'file:///work/sample/README.md', startLine: 3, endLine: 3 }),
          ],
        }),
      );
      const chips = app.page.locator('.pending-contexts .context-chip');
      assert.deepEqual(await chips.allInnerTexts(), ['parse.ts:12-20', 'README.md:3']);
      await app.page.getByRole('button', { name: 'Remove README.md:3 from the message' }).click();
      assert.deepEqual(await app.postsOf('removePendingContext'), [{ type: 'removePendingContext', index: 1 }]);
      await app.send({ type: 'pendingContexts', contexts: [context()] });
      assert.equal(await chips.count(), 1);
      // A message with only attached code can be sent.
      await app.page.locator('#input').press('Enter');
      assert.deepEqual(await app.postsOf('send'), [{ type: 'send', text: '' }]);
    });
  });

  describe('header, history and notices', () => {
    const chats: ChatSummary[] = [
      { id: 'chat-1', title: 'Parsing CSV', updatedAt: Date.now() - 60_000, messageCount: 4 },
      { id: 'chat-2', title: 'Regex for dates', updatedAt: Date.now() - 3 * 3600_000, messageCount: 2 },
      { id: 'chat-3', title: 'Git rebase vs merge', updatedAt: Date.now() - 3 * 86_400_000, messageCount: 6 },
    ];

    it('shows the model, and changing it asks the host', async () => {
      await app.send(init({ status: { model: 'llama-3.1-70b' } }));
      const button = app.page.locator('#model-button');
      assert.match(await button.innerText(), /llama-3\.1-70b/);
      assert.match((await button.getAttribute('aria-label')) ?? '', /Model: llama-3\.1-70b/);
      await button.click();
      assert.deepEqual(await app.postsOf('action'), [{ type: 'action', action: 'selectModel' }]);
      await app.send({ type: 'status', status: status({ model: 'qwen2.5-coder' }) });
      assert.match(await button.innerText(), /qwen2\.5-coder/);
    });

    it('New Chat posts newChat, and chatLoaded swaps the conversation', async () => {
      await app.send(init({ chat: chat([userMsg('old question'), assistantMsg('old answer')]) }));
      await app.page.locator('#new-chat').click();
      assert.deepEqual(await app.postsOf('newChat'), [{ type: 'newChat' }]);
      await app.send({ type: 'chatLoaded', chat: chat([], 'chat-9') });
      assert.equal(await app.page.locator('.message').count(), 0);
      assert.equal(await app.page.locator('#empty-state').isVisible(), true);
    });

    it('lists past chats to switch, rename inline and delete after a confirm — with the keyboard', async () => {
      await app.send(init({ chats }));
      const historyButton = app.page.locator('#history-button');
      await historyButton.focus();
      await app.page.keyboard.press('Enter');
      assert.equal(await historyButton.getAttribute('aria-expanded'), 'true');
      const items = app.page.locator('#history-panel .history-item');
      assert.equal(await items.count(), 3);
      assert.match(await items.first().innerText(), /Parsing CSV[\s\S]*4 messages/);
      assert.equal(await items.first().locator('.history-open').getAttribute('aria-current'), 'true');
      await app.screenshot('browser-history-dark');

      // Down to the second chat, F2 renames it.
      await app.page.keyboard.press('ArrowDown');
      await app.page.keyboard.press('F2');
      const rename = app.page.locator('.history-rename');
      await rename.waitFor();
      await app.page.keyboard.press('Control+A');
      await app.page.keyboard.type('ISO date regex');
      await app.page.keyboard.press('Enter');
      assert.deepEqual(await app.postsOf('renameChat'), [
        { type: 'renameChat', chatId: 'chat-2', title: 'ISO date regex' },
      ]);
      assert.match(await items.nth(1).innerText(), /ISO date regex/);

      // Delete asks first; Escape cancels, the delete button confirms.
      await app.page.keyboard.press('Delete');
      await app.page.locator('.history-confirm').waitFor();
      await app.page.keyboard.press('Escape');
      assert.equal(await app.page.locator('.history-confirm').count(), 0);
      assert.deepEqual(await app.postsOf('deleteChat'), []);
      await items.nth(2).hover();
      await items.nth(2).locator('.history-delete-button').click();
      await app.page.locator('[data-confirm-delete="chat-3"]').click();
      assert.deepEqual(await app.postsOf('deleteChat'), [{ type: 'deleteChat', chatId: 'chat-3' }]);
      await app.send({ type: 'chatList', chats: chats.filter((c) => c.id !== 'chat-3') });
      assert.equal(await items.count(), 2);
      assert.equal(
        await app.page.evaluate(() => !!document.activeElement?.closest('#history-panel')),
        true,
        'focus stays in the list',
      );

      // Enter on a chat switches to it and closes the list.
      await items.nth(1).locator('.history-open').focus();
      await app.page.keyboard.press('Enter');
      assert.deepEqual(await app.postsOf('switchChat'), [{ type: 'switchChat', chatId: 'chat-2' }]);
      assert.equal(await app.page.locator('#history-panel').isVisible(), false);
    });

    it('closes the history list with Escape, returning focus to its button', async () => {
      await app.send(init({ chats }));
      await app.page.locator('#history-button').click();
      await app.page.keyboard.press('Escape');
      assert.equal(await app.page.locator('#history-panel').isVisible(), false);
      assert.equal(await app.page.evaluate(() => document.activeElement?.id), 'history-button');
    });

    it('shows a dismissable notice with actions', async () => {
      await app.send(init());
      await app.send({
        type: 'notice',
        notice: { level: 'warning', text: 'Workspace tools are off in Restricted Mode.', actions: ['manageTrust'] },
      });
      const bar = app.page.locator('#notice');
      assert.match(await bar.innerText(), /Restricted Mode/);
      await bar.locator('button[data-action="manageTrust"]').click();
      assert.deepEqual(await app.postsOf('action'), [{ type: 'action', action: 'manageTrust' }]);
      await bar.getByRole('button', { name: 'Dismiss notice' }).click();
      assert.equal(await bar.isVisible(), false);
    });

    it('shows the usage of the last answer of a restored chat', async () => {
      await app.send(
        init({
          chat: chat([
            userMsg('q'),
            assistantMsg('a', { usage: { prompt_tokens: 10, completion_tokens: 20, total_tokens: 30 } }),
          ]),
        }),
      );
      assert.match((await text('#usage')).replace(/\s+/g, ' '), /10 in · 20 out · 30 tokens/);
    });
  });

  describe('keyboard and screen readers', () => {
    it('gives every control a name and reaches them all with Tab', async () => {
      await app.send(
        init({
          chat: chat([
            userMsg('Explain', { contexts: [context()] }),
            assistantMsg(MARKDOWN_ANSWER, {
              toolCalls: [{ id: 't', name: 'read_file', argsText: '{}', state: 'done', summary: 'ok' }],
            }),
          ]),
          chats: [{ id: 'chat-1', title: 'New chat', updatedAt: Date.now(), messageCount: 2 }],
        }),
      );
      await app.page.locator('.code-block [data-code-action]').first().waitFor();
      const unnamed = await app.page.evaluate(() =>
        Array.from(document.querySelectorAll('button, summary, a[href], textarea, input'))
          .filter((el) => (el as HTMLElement).offsetParent !== null)
          .filter(
            (el) =>
              !(
                (el.getAttribute('aria-label') ?? '').trim() ||
                (el.textContent ?? '').trim() ||
                el.getAttribute('title')
              ),
          )
          .map((el) => el.outerHTML.slice(0, 80)),
      );
      assert.deepEqual(unnamed, [], 'controls without an accessible name');
      // Tab from the top reaches the header, the chip, the tool row, the code buttons, the link and the input.
      await app.page.locator('#model-button').focus();
      const reached = new Set<string>();
      for (let i = 0; i < 40; i++) {
        reached.add(
          await app.page.evaluate(() => {
            const el = document.activeElement as HTMLElement;
            return (
              el.id ||
              el.getAttribute('data-code-action') ||
              (el.classList.contains('context-chip') ? 'chip' : '') ||
              (el.tagName === 'SUMMARY' ? 'summary' : '') ||
              el.tagName.toLowerCase()
            );
          }),
        );
        await app.page.keyboard.press('Tab');
      }
      for (const want of [
        'model-button',
        'history-button',
        'new-chat',
        'chip',
        'summary',
        'copy',
        'insert',
        'open',
        'a',
        'input',
      ]) {
        assert.ok(reached.has(want), `Tab reaches ${want} (reached: ${[...reached].join(', ')})`);
      }
    });

    it('shows a visible focus outline on keyboard focus', async () => {
      await app.send(init());
      await app.page.locator('#input').focus();
      await app.page.keyboard.press('Shift+Tab');
      await app.page.keyboard.press('Shift+Tab');
      const outline = await app.page.evaluate(() => {
        const s = getComputedStyle(document.activeElement!);
        return `${s.outlineStyle} ${s.outlineWidth}`;
      });
      assert.match(outline, /solid 1px/);
    });
  });

  describe('long chats', () => {
    it('patches only the streaming message while others stay untouched', async () => {
      const messages = [];
      for (let i = 0; i < 200; i++) messages.push(userMsg(`question ${i}`), assistantMsg(`answer **${i}**`));
      await app.send(init({ chat: chat(messages) }));
      await app.page.evaluate(() => {
        (window as any).__mutations = 0;
        new MutationObserver((records) => {
          for (const r of records)
            if (
              !(r.target as Element).closest?.('.message[data-status="streaming"]') &&
              r.target !== document.getElementById('messages')
            )
              (window as any).__mutations++;
        }).observe(document.querySelector('.messages-inner')!, {
          childList: true,
          subtree: true,
          characterData: true,
          attributes: true,
        });
      });
      // Restored answers near the viewport render in the background, a slice per frame: wait until that is done
      // (10 frames without a change), so what follows counts only what streaming touches.
      await app.page.evaluate(
        () =>
          new Promise<void>((resolve) => {
            let last = -1;
            let still = 0;
            const t0 = performance.now();
            const tick = () => {
              const m = (window as any).__mutations;
              if (m === last) still++;
              else {
                still = 0;
                last = m;
              }
              if (still >= 10 || performance.now() - t0 > 10_000) resolve();
              else requestAnimationFrame(tick);
            };
            requestAnimationFrame(tick);
          }),
      );
      const a = assistantMsg('', { status: 'streaming' });
      await app.send({ type: 'messageAdded', message: a });
      await app.page.evaluate(() => {
        (window as any).__mutations = 0;
      });
      for (let i = 0; i < 20; i++) await app.send({ type: 'answerDelta', id: a.id, text: `token${i} ` });
      await app.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      assert.equal(await app.page.evaluate(() => (window as any).__mutations), 0, 'no other message was touched');
      assert.equal(await app.page.locator('.message').count(), 401);
      const dist = await app.page.evaluate(() => {
        const el = document.getElementById('messages')!;
        return el.scrollHeight - el.scrollTop - el.clientHeight;
      });
      assert.ok(dist < 50, `follows the newest output (distance from bottom ${dist}px)`);
    });

    it('renders restored answers far up the list only when scrolled near them', async () => {
      const messages = [];
      for (let i = 0; i < 100; i++)
        messages.push(userMsg(`question ${i}`), assistantMsg(`### Heading ${i}\n\nanswer with \`code\``));
      await app.send(init({ chat: chat(messages) }));
      await app.page.waitForFunction(() => document.querySelectorAll('.message.assistant .content h3').length > 0);
      const first = app.page.locator('.message.assistant').first();
      assert.equal(await first.locator('h3').count(), 0, 'the oldest answer is not rendered yet');
      // (textContent: off screen the stand-in is skipped by content-visibility, which innerText leaves out)
      assert.match(
        await first.locator('.content').evaluate((el) => el.textContent ?? ''),
        /### Heading 0/,
        'its text stands in',
      );
      assert.equal(await app.page.locator('.message.assistant').last().locator('h3').innerText(), 'Heading 99');
      await app.page.evaluate(() => {
        document.getElementById('messages')!.scrollTop = 0;
      });
      await first.locator('h3').waitFor();
      assert.equal(await first.locator('h3').innerText(), 'Heading 0');
    });

    it('renders a restored answer reached by a jump into the middle, and none while the view has no size', async () => {
      const messages = [];
      for (let i = 0; i < 300; i++)
        messages.push(
          userMsg(`question ${i}`),
          assistantMsg(`### Heading ${i}\n\n${'long answer line\n\n'.repeat(8)}`),
        );
      // Hidden (a collapsed view has no height): nothing is near, so nothing older renders.
      await app.page.evaluate(() => {
        document.getElementById('messages')!.style.display = 'none';
      });
      await app.send(init({ chat: chat(messages) }));
      await app.page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
      const rendered = () => app.page.locator('.message.assistant .content h3').count();
      assert.equal(await rendered(), 8 / 2, 'only the newest messages, rendered eagerly');
      await app.page.evaluate(() => {
        document.getElementById('messages')!.style.display = '';
      });
      await app.page.waitForFunction(() => document.querySelectorAll('.message.assistant .content h3').length > 4);
      const middle = app.page.locator('.message.assistant').nth(150);
      assert.equal(await middle.locator('h3').count(), 0, 'the middle answer is far from the end: not rendered yet');
      await middle.evaluate((el) => el.scrollIntoView({ block: 'center' }));
      await middle.locator('h3').waitFor();
      assert.equal(await middle.locator('h3').innerText(), 'Heading 150');
      assert.equal(
        await app.page.locator('.message.assistant').first().locator('h3').count(),
        0,
        'the oldest still waits',
      );
    });
  });
});

// One rich conversation in each theme: the pictures a reviewer looks at (test-results/browser-showcase-*.png).
describe('chat view screenshots (light, dark, high contrast)', function () {
  this.timeout(60_000);
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  for (const [theme, width] of [
    ['dark', 420],
    ['light', 420],
    ['hc', 420],
    ['dark', 280],
  ] as const) {
    it(`draws a full conversation in the ${theme} theme, ${width} px wide, without CSP violations`, async () => {
      const app = await openApp(browser, { theme, height: 900, width });
      try {
        const answer = assistantMsg(MARKDOWN_ANSWER, {
          reasoning: 'The user wants a CSV line parser; quotes matter.',
          toolCalls: [
            {
              id: 'c1',
              name: 'read_file',
              argsText: '{"path":"src/util/parse.ts"}',
              state: 'done',
              summary: '42 lines of src/util/parse.ts',
              durationMs: 120,
            },
          ],
          usage: { prompt_tokens: 1834, completion_tokens: 412, total_tokens: 2246 },
        });
        await app.send(
          init({
            chat: chat([
              userMsg('Explain this code and suggest a simpler parser', { contexts: [context()] }),
              answer,
              userMsg('Now make it handle escaped quotes'),
              assistantMsg('Escaped quotes are written as two double quotes (`""`). Inside a quoted', {
                status: 'stopped',
              }),
              userMsg('Try again'),
              assistantMsg('', {
                status: 'error',
                error: {
                  kind: 'connection',
                  message:
                    'The connection to https://gateway.bud.studio dropped before the answer finished. Check your network, then retry.',
                  url: 'https://gateway.bud.studio/v1/chat/completions',
                  actions: ['retry', 'testConnection', 'showLog'],
                },
              }),
            ]),
            pendingContexts: [
              context({
                path: 'src/util/csv.test.ts',
                uri: 'file:///w/src/util/csv.test.ts',
                startLine: 1,
                endLine: 40,
              }),
            ],
          }),
        );
        await app.send({
          type: 'notice',
          notice: { level: 'warning', text: 'Workspace tools are off in Restricted Mode.', actions: ['manageTrust'] },
        });
        await app.page.locator('.code-block [data-code-action="copy"]').first().waitFor();
        await app.page.locator('.message.user').first().locator('.context-chip').focus();
        await app.page.evaluate(() => {
          document.getElementById('messages')!.scrollTop = 0;
        });
        const name = `browser-showcase-${theme}${width === 420 ? '' : `-${width}`}`;
        await app.screenshot(name);
        const overflow = await app.page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        assert.equal(overflow, 0, 'nothing sticks out sideways');
        await app.page.evaluate(() => {
          const m = document.getElementById('messages')!;
          m.scrollTop = m.scrollHeight;
        });
        await app.page.locator('#input').fill('Can you also add a test for empty fields?');
        await app.screenshot(`${name}-end`);
        assert.deepEqual(await app.violations(), []);
        assert.deepEqual(app.pageErrors, []);
        if (theme === 'hc') {
          const border = await app.page
            .locator('.code-block')
            .first()
            .evaluate((el) => getComputedStyle(el).borderTopColor);
          assert.equal(border, 'rgb(111, 195, 223)', 'high contrast uses the contrast border colour');
        }
      } finally {
        await app.close();
      }
    });
  }
});
