// Tiny message catalogue: `const t = useT(); t('nav.overview')`. English is complete; other
// languages may be partial and fall back to English key by key.
import { type ReactNode, createContext, useCallback, useContext } from 'react';
import { type Catalogue, type MessageKey, en } from './en';
import { it } from './it';

export type Locale = 'en' | 'it';
const catalogues: Record<Locale, Catalogue> = { en, it };

export function translate(locale: Locale, key: MessageKey, vars?: Record<string, string | number>): string {
  const template = catalogues[locale][key] ?? en[key] ?? key;
  return vars ? template.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m)) : template;
}

const LocaleContext = createContext<Locale>('en');

export function LocaleProvider({ locale, children }: { locale: Locale; children: ReactNode }) {
  return <LocaleContext.Provider value={locale}>{children}</LocaleContext.Provider>;
}

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function useT(): Translate {
  const locale = useContext(LocaleContext);
  return useCallback<Translate>((key, vars) => translate(locale, key, vars), [locale]);
}

export type { MessageKey };
