// Runs a callback once the tasks already queued have run, before it dirties the page.
//
// The webview shares its thread with the workbench: a message posted to the host crosses the webview's frame and
// then the workbench (several queued tasks) before it reaches the extension host. A DOM change made in between
// has the browser draw a frame first (in a long chat, 20–40 ms of style, layout and paint, seen in traces of
// `npm run bench -- browser`), and the message waits for it. A background-priority task runs after the queued
// ones; `maxDelayMs` bounds the wait where the thread never idles.

interface PostTaskScheduler {
  postTask(callback: () => void, options: { priority: 'background' }): Promise<unknown>;
}

export function afterPendingTasks(callback: () => void, maxDelayMs = 100): void {
  let done = false;
  const run = () => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    callback();
  };
  const timer = setTimeout(run, maxDelayMs);
  const scheduler = (globalThis as { scheduler?: PostTaskScheduler }).scheduler;
  if (scheduler?.postTask) void scheduler.postTask(run, { priority: 'background' }).catch(() => undefined);
  else setTimeout(run, 0);
}
