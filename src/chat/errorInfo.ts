// What the chat shows for an error: the protocol's `ErrorInfo` with the actions that fix it. The API layer
// only classifies errors (`BudError.kind`); choosing UI buttons is the chat's business.
import { BudError, type ErrorKind } from '../api/errors';
import type { ActionId, ErrorInfo } from '../protocol';
import * as l10n from '@vscode/l10n';

/** The fixing actions offered for each kind of error. */
export function actionsFor(kind: ErrorKind): ActionId[] {
  switch (kind) {
    // Each fix is followed by Retry, so the question need not be typed again once the key or model is right.
    case 'auth':
      return ['setApiKey', 'retry', 'showLog'];
    case 'noApiKey':
      return ['setApiKey', 'retry'];
    case 'permission':
      return ['setApiKey', 'selectModel', 'retry', 'showLog'];
    case 'notFound':
      return ['selectModel', 'retry', 'openSettings', 'showLog'];
    case 'noModel':
      return ['selectModel', 'retry'];
    case 'connection':
      return ['retry', 'openSettings', 'testConnection', 'showLog'];
    case 'validation':
      return ['newChat', 'openSettings'];
    case 'badRequest':
      return ['retry', 'openSettings', 'showLog'];
    case 'aborted':
      return ['retry'];
    default:
      return ['retry', 'showLog'];
  }
}

/** The protocol's `ErrorInfo` for any thrown value, with the actions that fix it. */
export function toErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof BudError) {
    const info: ErrorInfo = { kind: err.kind, message: err.message, actions: actionsFor(err.kind) };
    if (err.status !== undefined) info.status = err.status;
    if (err.requestId) info.requestId = err.requestId;
    if (err.url) info.url = err.url;
    return info;
  }
  const message = err instanceof Error ? err.message : String(err);
  return { kind: 'unknown', message: message || l10n.t('Something went wrong.'), actions: actionsFor('unknown') };
}
