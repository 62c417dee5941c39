// Tiny message catalogue: `const t = useT(); t('nav.overview')`. English is the reference; Italian
// is complete (a missing key would fall back to English key by key).
import { type ReactNode, createContext, useCallback, useContext, useState } from 'react';
import { type Catalogue, type MessageKey, en } from './en';
import { it } from './it';

export type Locale = 'en' | 'it';
const catalogues: Record<Locale, Catalogue> = { en, it };

export function translate(locale: Locale, key: MessageKey, vars?: Record<string, string | number>): string {
  const template = catalogues[locale][key] ?? en[key] ?? key;
  return vars ? template.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m)) : template;
}

const LocaleContext = createContext<Locale>('en');
const SetLocaleContext = createContext<(locale: Locale) => void>(() => undefined);

export const LOCALES: { id: Locale; name: string }[] = [
  { id: 'en', name: 'English' },
  { id: 'it', name: 'Italiano' },
];

export function LocaleProvider({ initial = 'en', children }: { initial?: Locale; children: ReactNode }) {
  const [locale, setLocale] = useState<Locale>(initial);
  return (
    <SetLocaleContext.Provider value={setLocale}>
      <LocaleContext.Provider value={locale}>{children}</LocaleContext.Provider>
    </SetLocaleContext.Provider>
  );
}

export function useLocale(): [Locale, (locale: Locale) => void] {
  return [useContext(LocaleContext), useContext(SetLocaleContext)];
}

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function useT(): Translate {
  const locale = useContext(LocaleContext);
  return useCallback<Translate>((key, vars) => translate(locale, key, vars), [locale]);
}

export type { MessageKey };

/** "1 month", "12 months", "1 mese", "12 mesi": a duration in the current language. */
export function formatDurationIn(t: Translate, value: number, unit: string): string {
  const key = `unit.${unit}.${value === 1 ? 'one' : 'other'}` as MessageKey;
  const text = t(key);
  return text === key ? `${value} ${unit}` : text.replace('{n}', String(value));
}
