// How often the host posts answer text to the chat view while an answer streams, by what the user can see of it.
// Every post costs the whole browser a message hop (extension host → workbench → the webview's iframe) and a frame
// (style, layout, paint, raster, compositing), whatever the amount of text in it; so the pace, not the model's
// speed, decides how much CPU a streaming answer takes (see `npm run bench -- browser`).
//   - reading: the end of the answer is on screen. Text arrives every 100 ms, within the 0.1 s in which a response
//     feels instantaneous, so the answer never visibly trails the model (and the first text goes at once).
//   - off screen: the user scrolled up, away from the end of the answer: twice a second keeps its length and the
//     scrollbar in step; scrolling back to the end brings the pace back at once.
//   - hidden: the view is not visible (its webview is rebuilt from `init` when shown again): every 2 s.
// Pure: no `vscode`.

export const PACE_MS = { reading: 100, offScreen: 500, hidden: 2000 } as const;

export class DeltaPacing {
  private visible = true;
  private following = true;
  private readonly listeners = new Set<() => void>();

  /** Milliseconds between two posts of answer text now. */
  get intervalMs(): number {
    if (!this.visible) return PACE_MS.hidden;
    return this.following ? PACE_MS.reading : PACE_MS.offScreen;
  }

  /** Whether the chat view is visible (the host knows). */
  setVisible(visible: boolean): void {
    this.set(visible, this.following);
  }

  /** Whether the view follows the end of the answer (the webview says, when it changes). */
  setFollowing(following: boolean): void {
    this.set(this.visible, following);
  }

  /** Called when the pace changes; returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(visible: boolean, following: boolean): void {
    if (visible === this.visible && following === this.following) return;
    this.visible = visible;
    this.following = following;
    for (const l of [...this.listeners]) l();
  }
}
