// The model the app opens on: the flagship example when it exists, else the Chancellor HIV
// reference model. import.meta.glob tolerates a missing file, so the build never breaks.
const flagship = import.meta.glob('../models/examples/lit-vs-systemic.model.json', { eager: true, query: '?raw', import: 'default' }) as Record<string, string>;
const fallback = import.meta.glob('../tests/reference/chancellor-hiv.model.json', { eager: true, query: '?raw', import: 'default' }) as Record<string, string>;

export type StartModel = { text: string; fileName: string };

export function startModel(): StartModel {
  const [flagPath, flagText] = Object.entries(flagship)[0] ?? [];
  if (flagPath && flagText) return { text: flagText, fileName: 'lit-vs-systemic.model.json' };
  const [, text] = Object.entries(fallback)[0] ?? [];
  return { text: text ?? '{}', fileName: 'chancellor-hiv.model.json' };
}
