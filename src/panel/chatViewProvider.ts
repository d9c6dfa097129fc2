// The sidebar chat: a WebviewViewProvider for `bud.chatView`. It only loads the HTML, relays messages and
// holds back everything until the webview says `ready` (the controller then sends `init`). The view is not
// kept alive when hidden: the whole state lives in the host and is restored with `init`.
import * as vscode from 'vscode';
import type { HostMessage, WebviewMessage } from '../protocol';
import { renderHtml } from './webviewHtml';
import { parseWebviewMessage } from './messageRouter';

export const VIEW_TYPE = 'bud.chatView';

export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private ready = false;
  /** Callers of `whenReady` waiting for the current webview to say `ready`. */
  private readonly readyWaiters = new Set<() => void>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly onMessage: (msg: WebviewMessage) => void,
    private readonly log: (line: string) => void,
    /** Told whether the view is visible whenever that changes (the answer's pace follows it). */
    private readonly onVisible: (visible: boolean) => void = () => {},
  ) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    const webview = view.webview;
    webview.options = { enableScripts: true, enableCommandUris: false, localResourceRoots: [dist] };
    webview.html = renderHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css')).toString(),
      codiconsUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'codicons', 'codicon.css')).toString(),
      language: vscode.env.language,
      strings: vscode.l10n.bundle,
    });
    this.disposables.push(
      webview.onDidReceiveMessage((raw: unknown) => {
        const msg = parseWebviewMessage(raw);
        if (!msg) {
          this.log(`Webview sent an unknown message; ignored: ${JSON.stringify(raw)?.slice(0, 200)}`);
          return;
        }
        if (msg.type === 'ready') this.markReady();
        this.onMessage(msg);
      }),
      view.onDidChangeVisibility(() => this.onVisible(view.visible)),
      view.onDidDispose(() => {
        if (this.view === view) {
          this.view = undefined;
          this.ready = false;
          this.onVisible(false);
        }
      }),
    );
    this.onVisible(view.visible);
  }

  get isReady(): boolean {
    return this.ready;
  }

  /**
   * Resolves `true` once the webview has said `ready` (at once if it has), or `false` after `timeoutMs` — a view that
   * never loads (hidden, failed) must not hold its caller forever.
   */
  whenReady(timeoutMs: number): Promise<boolean> {
    if (this.ready) return Promise.resolve(true);
    return new Promise((resolve) => {
      const onReady = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.readyWaiters.delete(onReady);
        resolve(false);
      }, timeoutMs);
      this.readyWaiters.add(onReady);
    });
  }

  private markReady(): void {
    this.ready = true;
    for (const resolve of [...this.readyWaiters]) resolve();
    this.readyWaiters.clear();
  }

  post(msg: HostMessage): void {
    if (!this.view || !this.ready) return;
    void this.view.webview
      .postMessage(msg)
      .then(undefined, (err: unknown) => this.log(`Could not post to the chat view: ${String(err)}`));
  }

  /** Opens the Bud container and focuses the chat view. */
  async reveal(): Promise<void> {
    await vscode.commands.executeCommand(`${VIEW_TYPE}.focus`);
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
