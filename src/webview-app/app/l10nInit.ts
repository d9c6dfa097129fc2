// Imported first by main.ts, so the translations are configured before the app's modules evaluate their tables of
// labels (ES modules run in import order).
import { loadStrings } from './l10n';

loadStrings();
