import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { newChat, type StoredChat, type StoredMessage } from '../../../src/chat/conversation';
import { HistoryStore } from '../../../src/chat/historyStore';
import { fold, queryTerms, SearchIndex, snippetOf } from '../../../src/chat/searchIndex';
import { addChild } from '../../../src/chat/tree';

let clock = 0;
function chatWith(id: string, title: string, texts: string[], updatedAt: number): StoredChat {
  const chat = newChat(id, 1);
  chat.title = title;
  chat.updatedAt = updatedAt;
  texts.forEach((content, i) => {
    const m: StoredMessage = {
      id: `${id}-m${i}`,
      role: i % 2 ? 'assistant' : 'user',
      content,
      status: 'complete',
      createdAt: ++clock,
    };
    addChild(chat, chat.messages.at(-1), m);
  });
  return chat;
}

describe('full-text search', () => {
  let dir: string;
  let stores: HistoryStore[];
  let index: SearchIndex;
  const store = () => {
    const s = new HistoryStore({
      dir,
      debounceMs: 5,
      onWritten: (c, t) => index.update(c, t),
      onDeleted: (id) => index.remove(id),
    });
    stores.push(s);
    return s;
  };

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bud-search-'));
    stores = [];
    index = new SearchIndex({ dir });
  });
  afterEach(async () => {
    index.dispose();
    for (const s of stores) s.dispose();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('finds words in titles and in any message of any branch, case-insensitively, newest chat first, with snippets', async () => {
    const s = store();
    const older = chatWith(
      'older',
      'CSV parsing',
      ['How do I parse a CSV line?', 'Split on commas outside quotes.'],
      10,
    );
    const newer = chatWith('newer', 'Regex help', ['Match an email', 'Use a library, not a regex.'], 20);
    // A branch that is not on screen: an edited first question.
    addChild(newer, undefined, {
      id: 'newer-edit',
      role: 'user',
      content: 'Match an e-mail address in a CSV column',
      status: 'complete',
      createdAt: ++clock,
    });
    newer.selected[''] = 'newer-m0';
    await s.save(older, { upserted: older.messages.map((m) => m.id) }, true);
    await s.save(newer, { upserted: newer.messages.map((m) => m.id), selected: true }, true);

    const csv = await index.search('csv');
    assert.equal(csv.chats, 2);
    assert.deepEqual(
      csv.hits.map((h) => [h.chatId, h.messageId ?? 'title']),
      [
        ['newer', 'newer-edit'],
        ['older', 'title'],
        ['older', 'older-m0'],
      ],
    );
    assert.equal(csv.total, 3);
    const edit = csv.hits[0];
    assert.equal(edit.role, 'user');
    assert.equal(edit.snippet, 'Match an e-mail address in a CSV column');
    assert.deepEqual(edit.ranges, [[29, 32]]);
    assert.equal(edit.snippet.slice(29, 32), 'CSV');

    const both = await index.search('split QUOTES');
    assert.deepEqual(
      both.hits.map((h) => h.messageId),
      ['older-m1'],
      'every word in the same message',
    );
    assert.deepEqual(
      (await index.search('"outside quotes"')).hits.map((h) => h.messageId),
      ['older-m1'],
    );
    assert.deepEqual((await index.search('"quotes outside"')).hits, [], 'a quoted phrase is kept whole');
    assert.deepEqual((await index.search('comma email')).hits, [], 'words in different messages do not match');
  });

  it('follows the window’s own saves and deletions at once, and other windows’ files on the next look', async () => {
    const s = store();
    const a = chatWith('a', 'First', ['alpha'], 1);
    await s.save(a, { upserted: ['a-m0'] }, true);
    assert.equal((await index.search('beta')).total, 0);
    addChild(a, a.messages[0], {
      id: 'a-m1',
      role: 'assistant',
      content: 'beta answer',
      status: 'complete',
      createdAt: ++clock,
    });
    await s.save(a, { upserted: ['a-m1'] }, true);
    assert.deepEqual(
      (await index.search('beta')).hits.map((h) => h.messageId),
      ['a-m1'],
      'no wait for a refresh',
    );
    await s.delete('a');
    assert.equal((await index.search('alpha')).total, 0);

    // Another window writes a chat: found once the index looks at the files again.
    let now = 1_000_000;
    const watched = new SearchIndex({ dir, now: () => now });
    try {
      assert.equal((await watched.search('gamma')).total, 0);
      const other = new HistoryStore({ dir });
      stores.push(other);
      await other.save(chatWith('b', 'Other window', ['gamma ray'], 5), { upserted: ['b-m0'] }, true);
      now += 5000;
      assert.deepEqual(
        (await watched.search('gamma')).hits.map((h) => h.chatId),
        ['b'],
      );
    } finally {
      watched.dispose();
    }
  });

  it('a damaged file is skipped, never breaks the search', async () => {
    const s = store();
    await s.save(chatWith('good', 'Good', ['needle here'], 1), { upserted: ['good-m0'] }, true);
    await fs.writeFile(path.join(dir, 'bad.json'), '{"version":2,"id":"bad","messages":[{');
    const r = await index.search('needle');
    assert.deepEqual(
      r.hits.map((h) => h.chatId),
      ['good'],
    );
  });

  it('query words, folding and snippets', () => {
    assert.deepEqual(queryTerms('  Parse "CSV line"  parse '), ['csv line', 'parse']);
    assert.deepEqual(queryTerms('   '), []);
    assert.equal(fold('İstanbul ÄÖ').length, 'İstanbul ÄÖ'.length, 'positions hold after folding');
    const long = `${'word '.repeat(40)}the NEEDLE is here${' tail'.repeat(40)}`;
    const snip = snippetOf(long, ['needle']);
    assert.ok(snip.snippet.startsWith('…') && snip.snippet.endsWith('…'));
    assert.equal(snip.snippet.slice(snip.ranges[0][0], snip.ranges[0][1]), 'NEEDLE');
    assert.ok(snip.snippet.length < 220);
  });
});
