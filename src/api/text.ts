// Appends many small strings cheaply and without keeping their source alive. Strings that JSON.parse returns
// are often slices of the whole event text, so holding on to every piece would keep every event's text in
// memory and make the garbage collector copy it again and again. Pieces are therefore joined in small
// batches into fresh strings while they are still young, and batches are concatenated (a rope: O(1)), so
// reading the text is cheap too. No `vscode` import.

const BATCH = 32;

export class TextBuilder {
  private text = '';
  private parts: string[] = [];

  append(piece: string): void {
    const p = this.parts;
    p.push(piece);
    if (p.length >= BATCH) {
      this.text += p.join('');
      this.parts = [];
    }
  }

  get isEmpty(): boolean {
    return this.text.length === 0 && this.parts.length === 0;
  }

  toString(): string {
    if (this.parts.length > 0) {
      this.text += this.parts.join('');
      this.parts = [];
    }
    return this.text;
  }
}
