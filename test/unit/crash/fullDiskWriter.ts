// Run by atomicFile.test.ts under a file-size limit (`ulimit -f`), which makes a write fail part-way the way a
// full disk does: saves a small chat, then a version too large to write, and prints what the store reported.
//
//   node out/test/unit/crash/fullDiskWriter.js <dir>
import { describeWriteError } from '../../../src/chat/atomicFile';
import { newChat } from '../../../src/chat/conversation';
import { HistoryStore } from '../../../src/chat/historyStore';

async function main(): Promise<void> {
  const errors: string[] = [];
  const store = new HistoryStore({
    dir: process.argv[2],
    onWriteError: (_id, err) => errors.push(describeWriteError(err)),
  });
  const chat = newChat('full-disk', 1);
  chat.messages.push({ id: 'u1', role: 'user', content: 'a small question', status: 'complete', createdAt: 1 });
  await store.save(chat, { upserted: ['u1'] }, true);
  chat.messages.push({ id: 'a1', role: 'assistant', content: 'x'.repeat(300_000), status: 'complete', createdAt: 2 });
  await store.save(chat, { upserted: ['a1'] }, true);
  process.stdout.write(JSON.stringify({ errors }));
}

void main();
