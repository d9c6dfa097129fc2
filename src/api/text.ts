// Appends many small strings cheaply and without keeping their source alive. Strings that JSON.parse returns
// are often slices of the whole event text, so holding on to every piece would keep every event's text in
// memory and make the garbage collector copy it again and again. Pieces are therefore joined in small
// batches into fresh strings while they are still young. Reading the whole text joins the batches (O(n)):
// do it rarely; per-chunk consumers should use what `ChatAccumulator.push` returns. No `vscode` import.

const BATCH = 32;

export class TextBuilder {
  private batches: string[] = [];
  private parts: string[] = [];

  append(piece: string): void {
    const p = this.parts;
    p.push(piece);
    if (p.length >= BATCH) {
      this.batches.push(p.join(''));
      this.parts = [];
    }
  }

  get isEmpty(): boolean {
    return this.batches.length === 0 && this.parts.length === 0;
  }

  toString(): string {
    if (this.parts.length > 0) {
      this.batches.push(this.parts.join(''));
      this.parts = [];
    }
    const b = this.batches;
    if (b.length === 0) return '';
    if (b.length > 1) this.batches = [b.join('')];
    return this.batches[0];
  }
}
