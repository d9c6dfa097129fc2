import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { HistoryStore, interruptedNote, isChatId, newChatId } from '../../../src/chat/historyStore';
import { newChat, type StoredChat, type StoredMessage } from '../../../src/chat/conversation';
import { activePath, addChild, deleteTurn, selectPathTo, treeProblem } from '../../../src/chat/tree';

const msg = (
  id: string,
  role: 'user' | 'assistant',
  content: string,
  createdAt: number,
  status: StoredMessage['status'] = 'complete',
): StoredMessage => ({ id, role, content, status, createdAt });

describe('HistoryStore', () => {
  let dir: string;
  const stores: HistoryStore[] = [];
  const store = (debounceMs = 20) => {
    const s = new HistoryStore({ dir, debounceMs });
    stores.push(s);
    return s;
  };

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bud-history-'));
  });
  afterEach(async () => {
    for (const s of stores.splice(0)) s.dispose();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('saves one file per chat and loads it back; the list comes from the directory, newest first', async () => {
    const s = store();
    const a = newChat('chat-a', 1);
    a.title = 'First';
    a.messages.push(msg('m1', 'user', 'hello', 1));
    a.updatedAt = 10;
    const b = newChat('chat-b', 2);
    b.title = 'Second "quoted" \\ title';
    b.messages.push(msg('m2', 'user', 'hi', 2));
    b.updatedAt = 20;
    await s.save(a, { upserted: ['m1'] }, true);
    await s.save(b, { upserted: ['m2'] }, true);
    assert.deepEqual((await fs.readdir(dir)).sort(), ['chat-a.json', 'chat-b.json']);
    const list = await store().list();
    assert.deepEqual(
      list.chats.map((c) => [c.id, c.title, c.messageCount]),
      [
        ['chat-b', 'Second "quoted" \\ title', 1],
        ['chat-a', 'First', 1],
      ],
    );
    const loaded = await store().load('chat-a');
    assert.equal(loaded.chat!.messages[0].content, 'hello');
  });

  it('an empty chat is not written', async () => {
    await store().save(newChat('empty', 1), {}, true);
    assert.deepEqual(await fs.readdir(dir).catch(() => []), []);
  });

  it('debounces writes while an answer streams and leaves no temp files', async () => {
    const s = store(50);
    const c = newChat('chat-d', 1);
    c.messages.push(msg('u', 'user', 'q', 1), msg('a', 'assistant', '', 2, 'streaming'));
    await s.save(c, { upserted: ['u', 'a'] }, true);
    const before = (await fs.stat(path.join(dir, 'chat-d.json'))).mtimeMs;
    for (let i = 0; i < 20; i++) {
      c.messages[1].content += 'x';
      void s.save(c, { upserted: ['a'] });
    }
    const mid = JSON.parse(await fs.readFile(path.join(dir, 'chat-d.json'), 'utf8'));
    assert.equal(mid.messages[1].content, '', 'not written on every delta');
    await sleep(120);
    const after = JSON.parse(await fs.readFile(path.join(dir, 'chat-d.json'), 'utf8'));
    assert.equal(after.messages[1].content, 'x'.repeat(20));
    assert.equal(after.messages[1].status, 'streaming');
    assert.ok((await fs.stat(path.join(dir, 'chat-d.json'))).mtimeMs >= before);
    assert.deepEqual(await fs.readdir(dir), ['chat-d.json']);
  });

  it('an answer saved while streaming loads as interrupted, with the partial text and a note', async () => {
    const c = newChat('chat-i', 1);
    c.messages.push(msg('u', 'user', 'q', 1), {
      ...msg('a', 'assistant', 'partial answ', 2, 'streaming'),
      toolCalls: [{ id: 't', name: 'read_file', argsText: '{}', state: 'running' }],
    });
    await store().save(c, { upserted: ['u', 'a'] }, true);
    const loaded = (await store().load('chat-i')).chat!;
    assert.equal(loaded.messages[1].status, 'interrupted');
    assert.equal(loaded.messages[1].content, 'partial answ');
    assert.equal(loaded.messages[1].note, interruptedNote());
    assert.equal(loaded.messages[1].toolCalls![0].state, 'cancelled');
  });

  it('a corrupted file is moved aside, kept, and named in the notice', async () => {
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, 'chat-x.json'), '{"version":1,"id":"chat-x","messages":[{"id":');
    const res = await store().load('chat-x');
    assert.equal(res.chat, undefined);
    const files = await fs.readdir(dir);
    assert.equal(files.length, 1);
    assert.match(files[0], /^chat-x\.corrupt-.*\.json$/);
    assert.equal(
      await fs.readFile(path.join(dir, files[0]), 'utf8'),
      '{"version":1,"id":"chat-x","messages":[{"id":',
      'kept byte for byte',
    );
    assert.ok(res.notice!.includes(files[0]), 'the notice names the kept file');
    assert.match(res.notice!, /invalid JSON/);
  });

  it('list() moves a corrupted file aside and reports it, keeping the good chats', async () => {
    const good = newChat('good', 1);
    good.messages.push(msg('m', 'user', 'x', 1));
    await store().save(good, { upserted: ['m'] }, true);
    await fs.writeFile(path.join(dir, 'bad.json'), 'not json at all');
    const list = await store().list();
    assert.deepEqual(
      list.chats.map((c) => c.id),
      ['good'],
    );
    assert.equal(list.notices.length, 1);
    assert.ok((await fs.readdir(dir)).some((f) => f.startsWith('bad.corrupt-')));
  });

  it("two windows writing the same chat never lose each other's messages", async () => {
    let merged: StoredChat | undefined;
    const w1 = new HistoryStore({
      dir,
      debounceMs: 10,
      onMerged: (chat) => {
        merged = chat;
      },
    });
    stores.push(w1);
    const w2 = store();
    const c = newChat('shared', 1);
    c.messages.push(msg('u1', 'user', 'from window 1', 1));
    await w1.save(c, { upserted: ['u1'] }, true);
    const c2 = (await w2.load('shared')).chat!;
    // Window 2 adds a message and its answer (its write gets a later mtime).
    c2.messages.push(msg('u2', 'user', 'from window 2', 5), msg('a2', 'assistant', 'answer 2', 6));
    await w2.save(c2, { upserted: ['u2', 'a2'] }, true);
    const later = new Date(Date.now() + 5000);
    await fs.utimes(path.join(dir, 'shared.json'), later, later);
    // Window 1, unaware, adds its own answer and writes.
    c.messages.push(msg('a1', 'assistant', 'answer 1', 3));
    await w1.save(c, { upserted: ['a1'] }, true);
    const disk = (await store().load('shared')).chat!;
    assert.deepEqual(
      disk.messages.map((m) => m.id),
      ['u1', 'a1', 'u2', 'a2'],
    );
    assert.equal(merged, c, 'the window is told about the merge');
    assert.deepEqual(
      c.messages.map((m) => m.id),
      ['u1', 'a1', 'u2', 'a2'],
      'the window now holds both',
    );
  });

  it('a deletion in one window is kept when the other window writes unrelated changes', async () => {
    const w1 = store(),
      w2 = store();
    const c = newChat('del', 1);
    c.messages.push(msg('u1', 'user', 'q', 1), msg('a1', 'assistant', 'failed', 2, 'error'));
    await w1.save(c, { upserted: ['u1', 'a1'] }, true);
    const c2 = (await w2.load('del')).chat!;
    c.messages.pop(); // window 1: retry removes the failed answer
    await w1.save(c, { removed: ['a1'] }, true);
    const later = new Date(Date.now() + 5000);
    await fs.utimes(path.join(dir, 'del.json'), later, later);
    c2.title = 'Renamed';
    await w2.save(c2, { meta: true }, true);
    const disk = (await store().load('del')).chat!;
    assert.deepEqual(
      disk.messages.map((m) => m.id),
      ['u1'],
    );
    assert.equal(disk.title, 'Renamed');
  });

  it('a message deleted in another window stays deleted; one new here is kept', async () => {
    const w1 = store(),
      w2 = store();
    const c = newChat('gone2', 1);
    c.messages.push(msg('u1', 'user', 'q', 1), msg('a1', 'assistant', 'failed', 2, 'error'));
    await w1.save(c, { upserted: ['u1', 'a1'] }, true);
    const c2 = (await w2.load('gone2')).chat!;
    c2.messages.pop(); // window 2: Retry removed the failed answer
    await w2.save(c2, { removed: ['a1'] }, true);
    const later = new Date(Date.now() + 5000);
    await fs.utimes(path.join(dir, 'gone2.json'), later, later);
    c.messages.push(msg('u2', 'user', 'new in window 1', 3)); // window 1 still holds a1 in memory
    await w1.save(c, { upserted: ['u2'] }, true);
    const disk = (await store().load('gone2')).chat!;
    assert.deepEqual(
      disk.messages.map((m) => m.id),
      ['u1', 'u2'],
    );
  });

  it('a version 1 file (one linear list) loads as a single branch; list() reads its head before and after', async () => {
    await fs.mkdir(dir, { recursive: true });
    const v1 = {
      version: 1,
      id: 'old',
      title: 'Old chat',
      createdAt: 1,
      updatedAt: 9,
      messageCount: 4,
      messages: [
        msg('u1', 'user', 'q1', 1),
        msg('a1', 'assistant', 'r1', 2),
        msg('u2', 'user', 'q2', 3),
        msg('a2', 'assistant', 'r2', 4),
      ],
    };
    await fs.writeFile(path.join(dir, 'old.json'), JSON.stringify(v1));
    assert.deepEqual((await store().list()).chats, [{ id: 'old', title: 'Old chat', updatedAt: 9, messageCount: 4 }]);
    const s = store();
    const chat = (await s.load('old')).chat!;
    assert.deepEqual(
      chat.messages.map((m) => [m.id, m.parentId]),
      [
        ['u1', undefined],
        ['a1', 'u1'],
        ['u2', 'a1'],
        ['a2', 'u2'],
      ],
    );
    assert.deepEqual(
      activePath(chat).map((m) => m.id),
      ['u1', 'a1', 'u2', 'a2'],
    );
    // An edit of q2 adds a branch; the file is rewritten as version 2, and its head still lists it.
    addChild(chat, chat.messages[1], msg('u2e', 'user', 'q2 edited', 5));
    chat.updatedAt = 10;
    await s.save(chat, { upserted: ['u2e'], selected: true }, true);
    const text = await fs.readFile(path.join(dir, 'old.json'), 'utf8');
    assert.match(
      text,
      /^\{"version":2,"id":"old","title":"Old chat","createdAt":1,"updatedAt":10,"messageCount":3,"messages":/,
    );
    assert.deepEqual((await store().list()).chats, [{ id: 'old', title: 'Old chat', updatedAt: 10, messageCount: 3 }]);
    const again = (await store().load('old')).chat!;
    assert.deepEqual(
      activePath(again).map((m) => m.id),
      ['u1', 'a1', 'u2e'],
    );
    assert.deepEqual(again.selected, { a1: 'u2e' });
  });

  it('attachments are saved with their message as sent and come back whole; a malformed one sets the file aside', async () => {
    const contexts: NonNullable<StoredMessage['contexts']> = [
      // As chats saved before attachments had kinds: a selection.
      { path: 'src/a.ts', uri: 'file:///w/src/a.ts', language: 'typescript', startLine: 2, endLine: 3, text: 'b\nc' },
      {
        kind: 'file',
        path: 'src/big.ts',
        uri: 'file:///w/src/big.ts',
        language: 'typescript',
        startLine: 1,
        endLine: 9000,
        totalLines: 9000,
        text: 'outline, head and tail',
        note: 'Sent as its outline plus its first and last lines.',
        tokens: 1234,
      },
      {
        kind: 'terminal',
        path: '',
        uri: '',
        language: 'console',
        startLine: 0,
        endLine: 0,
        label: 'Terminal: ls',
        text: '$ ls',
      },
    ];
    const chat = newChat('att', 1);
    const user = { ...msg('u1', 'user', 'why?', 1), contexts };
    addChild(chat, undefined, user);
    addChild(chat, user, msg('a1', 'assistant', 'because', 2));
    await store().save(chat, { upserted: ['u1', 'a1'], meta: true }, true);
    const loaded = (await store().load('att')).chat!;
    assert.deepEqual(activePath(loaded)[0].contexts, contexts);

    const file = path.join(dir, 'att.json');
    const saved = JSON.parse(await fs.readFile(file, 'utf8')) as { messages: StoredMessage[] };
    saved.messages[0].contexts![1].tokens = 'many' as unknown as number;
    await fs.writeFile(file, JSON.stringify(saved));
    const bad = await store().load('att');
    assert.equal(bad.chat, undefined);
    assert.match(bad.notice!, /contexts field is malformed/);
  });

  it('a file whose messages do not form a tree is moved aside like any unreadable file', async () => {
    await fs.mkdir(dir, { recursive: true });
    const bad = {
      version: 2,
      id: 'loop',
      title: 't',
      createdAt: 1,
      updatedAt: 1,
      messageCount: 0,
      messages: [
        { ...msg('x', 'user', 'q', 1), parentId: 'y' },
        { ...msg('y', 'assistant', 'r', 2), parentId: 'x' },
      ],
    };
    await fs.writeFile(path.join(dir, 'loop.json'), JSON.stringify(bad));
    const res = await store().load('loop');
    assert.equal(res.chat, undefined);
    assert.match(res.notice!, /loop back on themselves/);
  });

  it('two windows branching the same chat: both branches kept, each window keeps its own choice', async () => {
    const w1 = store(),
      w2 = store();
    const c = newChat('branches', 1);
    addChild(c, undefined, msg('u1', 'user', 'q', 1));
    addChild(c, c.messages[0], msg('a1', 'assistant', 'r', 2));
    await w1.save(c, { upserted: ['u1', 'a1'], selected: true }, true);
    const c2 = (await w2.load('branches')).chat!;
    addChild(c2, c2.messages[0], msg('a1r', 'assistant', 'regenerated in window 2', 5)); // window 2 regenerates
    await w2.save(c2, { upserted: ['a1r'], selected: true }, true);
    const later = new Date(Date.now() + 5000);
    await fs.utimes(path.join(dir, 'branches.json'), later, later);
    addChild(c, undefined, msg('u1e', 'user', 'edited in window 1', 3)); // window 1 edits the question
    await w1.save(c, { upserted: ['u1e'], selected: true }, true);
    const disk = (await store().load('branches')).chat!;
    assert.deepEqual(disk.messages.map((m) => m.id).sort(), ['a1', 'a1r', 'u1', 'u1e']);
    assert.equal(treeProblem(disk.messages), undefined);
    assert.deepEqual(
      activePath(disk).map((m) => m.id),
      ['u1e'],
      'window 1 wrote last and shows its edit',
    );
    assert.ok(selectPathTo(disk, 'a1r'), 'the other branch is one switch away');
    assert.deepEqual(
      activePath(disk).map((m) => m.id),
      ['u1', 'a1r'],
    );
  });

  it('a message added under a turn another window deleted moves up to the nearest answer that is left', async () => {
    const w1 = store(),
      w2 = store();
    const c = newChat('moved', 1);
    addChild(c, undefined, msg('u1', 'user', 'q1', 1));
    addChild(c, c.messages[0], msg('a1', 'assistant', 'r1', 2));
    addChild(c, c.messages[1], msg('u2', 'user', 'q2', 3));
    addChild(c, c.messages[2], msg('a2', 'assistant', 'r2', 4));
    await w1.save(c, { upserted: c.messages.map((m) => m.id), selected: true }, true);
    const c2 = (await w2.load('moved')).chat!;
    const undo = deleteTurn(c2, 'u2')!; // window 2 deletes the second turn
    await w2.save(c2, { removed: undo.removed.map((r) => r.message.id), selected: true }, true);
    const later = new Date(Date.now() + 5000);
    await fs.utimes(path.join(dir, 'moved.json'), later, later);
    addChild(c, c.messages[3], msg('u3', 'user', 'q3 after a2, in window 1', 5));
    await w1.save(c, { upserted: ['u3'], selected: true }, true);
    const disk = (await store().load('moved')).chat!;
    assert.equal(treeProblem(disk.messages), undefined);
    assert.deepEqual(
      activePath(disk).map((m) => m.id),
      ['u1', 'a1', 'u3'],
    );
  });

  it('rejects chat ids that could leave the directory', () => {
    assert.ok(isChatId(newChatId()));
    for (const bad of ['../x', 'a/b', '', 'x'.repeat(65), 'a.json']) assert.equal(isChatId(bad), false, bad);
    assert.throws(() => new HistoryStore({ dir: '/tmp' }).fileOf('../../etc/passwd'));
  });

  it('delete removes the file', async () => {
    const s = store();
    const c = newChat('gone', 1);
    c.messages.push(msg('m', 'user', 'x', 1));
    await s.save(c, { upserted: ['m'] }, true);
    await s.delete('gone');
    assert.deepEqual(await fs.readdir(dir), []);
  });
});
