// The raw data a terminal command wrote, as plain text: what a person sees, not the escape sequences that drew it.
// Pure: no `vscode` import.

/* eslint-disable no-control-regex -- escape sequences are control characters by definition */
const OSC = /\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g; // window titles, shell-integration marks, hyperlinks
const DCS = /\x1b[P^_][^\x1b]*\x1b\\/g;
const CSI = /\x1b\[[0-?]*[ -/]*[@-~]/g; // colours, cursor moves, erases
const ESC = /\x1b[@-Z\\-_]|\x1b[()*+][0-9A-Za-z]|\x1b[=>78]/g;
const C1_CSI = /\x9b[0-?]*[ -/]*[@-~]/g;
const OTHER_CONTROLS = /[\x00-\x07\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f]/g;
/* eslint-enable no-control-regex */

/** Removes escape sequences; a carriage return (a progress bar redrawing its line) keeps what was written last. */
export function terminalToText(raw: string): string {
  const noEsc = raw.replace(OSC, '').replace(DCS, '').replace(CSI, '').replace(C1_CSI, '').replace(ESC, '');
  const lines = noEsc.replace(/\r\n/g, '\n').split('\n');
  const out = lines.map((line) => {
    let s = line;
    if (s.includes('\r')) {
      // Each \r returns to the line start; later text overwrites earlier text character by character.
      let cur = '';
      for (const piece of s.split('\r')) cur = piece + cur.slice(piece.length);
      s = cur;
    }
    if (s.includes('\b')) {
      let cur = '';
      for (const ch of s) cur = ch === '\b' ? cur.slice(0, -1) : cur + ch;
      s = cur;
    }
    return s.replace(OTHER_CONTROLS, '').replace(/\s+$/, '');
  });
  return out.join('\n').replace(/^\n+/, '').replace(/\n+$/, '');
}

/** Keeps at most `maxChars` of the raw output: the end, which holds the result and the errors. */
export class OutputBuffer {
  private chunks: string[] = [];
  private size = 0;
  dropped = 0;

  constructor(private readonly maxChars: number) {}

  push(data: string): void {
    this.chunks.push(data);
    this.size += data.length;
    while (this.size > this.maxChars) {
      const excess = this.size - this.maxChars;
      const first = this.chunks[0];
      if (first.length <= excess) this.chunks.shift();
      else this.chunks[0] = first.slice(excess);
      const cut = Math.min(first.length, excess);
      this.size -= cut;
      this.dropped += cut;
    }
  }

  text(): string {
    return this.chunks.join('');
  }
}
