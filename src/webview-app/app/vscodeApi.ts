// The one handle on the host: typed posting and the small persisted view state.
import type { WebviewMessage } from '../../protocol';

/** What the view keeps across being hidden / reloaded: never message content beyond the unsent draft, never a key. */
export interface PersistedState {
  chatId?: string;
  scrollTop?: number;
  /** True when the list was scrolled to the end (follow new output). */
  atBottom?: boolean;
  draft?: string;
}

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export interface Host {
  post(message: WebviewMessage): void;
  getState(): PersistedState;
  setState(patch: Partial<PersistedState>): void;
}

const MAX_DRAFT_CHARS = 100_000;
const WINDOW_CHAT_KEY = 'bud.chatId';

/**
 * The chat this window showed, for the `ready` after a reload. The webview's own state (getState) is kept per
 * view, but in VS Code for the Web (code-server) two tabs of one browser share it through the browser's storage,
 * so the tab written last would win after a reload; sessionStorage is per tab and survives its reloads (seen in
 * code-server 4.139). getState is the fallback where sessionStorage is empty (a view recreated elsewhere).
 */
export function windowChatId(host: Host): string | undefined {
  try {
    const id = sessionStorage.getItem(WINDOW_CHAT_KEY);
    if (id) return id;
  } catch {
    // sessionStorage may be unavailable in a webview: the view state alone will do.
  }
  return host.getState().chatId;
}

export function rememberWindowChat(host: Host, id: string): void {
  host.setState({ chatId: id });
  try {
    sessionStorage.setItem(WINDOW_CHAT_KEY, id);
  } catch {
    // see windowChatId
  }
}

export function connectHost(): Host {
  const api = acquireVsCodeApi();
  let state: PersistedState = sanitize(api.getState());
  return {
    post: (message) => api.postMessage(message),
    getState: () => state,
    setState(patch) {
      state = sanitize({ ...state, ...patch });
      api.setState(state);
    },
  };
}

/** Keeps only the known fields with the right types (the stored state is untrusted input too). */
function sanitize(raw: unknown): PersistedState {
  const s = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const out: PersistedState = {};
  if (typeof s.chatId === 'string') out.chatId = s.chatId;
  if (typeof s.scrollTop === 'number' && Number.isFinite(s.scrollTop)) out.scrollTop = s.scrollTop;
  if (typeof s.atBottom === 'boolean') out.atBottom = s.atBottom;
  if (typeof s.draft === 'string' && s.draft.length <= MAX_DRAFT_CHARS) out.draft = s.draft;
  return out;
}
