// Numbers in the text people read, in the display language VS Code runs in. The host sets the language at
// activation, beside the string bundle of `t()` (src/config/l10n.ts); until then (and in plain-Node tests) the
// runtime's default applies. It lives in src/api, the lowest layer, so every layer formats numbers the same way.
// Text for the model stays English, numbers included (`modelNumber`).

let displayLocale: string | undefined;
let numberFormat: Intl.NumberFormat | undefined;

/** The display language (`vscode.env.language`); `undefined` for the runtime's default. */
export function setDisplayLocale(locale: string | undefined): void {
  displayLocale = locale;
  numberFormat = undefined;
}

/** The display language as set, for formats this module does not cover (dates). */
export function getDisplayLocale(): string | undefined {
  return displayLocale;
}

/** `n` grouped the way the display language writes it: "1,000,000", "1.000.000", "1 000 000". */
export function formatNumber(n: number): string {
  numberFormat ??= numberFormatFor(displayLocale);
  return numberFormat.format(n);
}

/** `n` in English text the model reads (prompts, notes inside the messages sent, tool output). */
export function modelNumber(n: number): string {
  // eslint-disable-next-line no-restricted-syntax -- the model's text is English whatever the display language.
  return n.toLocaleString('en-US');
}

function numberFormatFor(locale: string | undefined): Intl.NumberFormat {
  try {
    return new Intl.NumberFormat(locale);
  } catch {
    // A tag the runtime does not accept: its default rather than an error in every message with a number.
    return new Intl.NumberFormat();
  }
}
