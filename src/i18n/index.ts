import { admin } from './messages/admin';
import { common } from './messages/common';
import { learner } from './messages/learner';
import { lti } from './messages/lti';
import { teacher } from './messages/teacher';

export const SUPPORTED_LOCALES = ['fr', 'en'] as const;
export type Locale = (typeof SUPPORTED_LOCALES)[number];

export type Catalog = Record<string, string>;
export interface MessageSet {
  fr: Catalog;
  en: Catalog;
}

/**
 * Each feature keeps its messages in src/i18n/messages/<feature>.ts ({fr, en}, same keys) and adds
 * itself here. Keys are namespaced by feature ("lti.error.bad_state.title").
 */
const sets: MessageSet[] = [common, admin, lti, learner, teacher];

export function registerMessages(set: MessageSet): void {
  sets.push(set);
}

/** `fr-CA` → fr, `en_GB` → en; anything else (de-DE, missing) → the fallback. */
export function resolveLocale(tag: string | undefined | null, fallback: Locale = 'fr'): Locale {
  if (!tag) return fallback;
  const lang = tag.trim().toLowerCase().split(/[-_]/)[0];
  return (SUPPORTED_LOCALES as readonly string[]).includes(lang ?? '') ? (lang as Locale) : fallback;
}

/** Picks the best of the browser's Accept-Language among ours. */
export function localeFromAcceptLanguage(header: string | undefined, fallback: Locale = 'fr'): Locale {
  if (!header) return fallback;
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag, q] = part.trim().split(';q=');
      return { tag: tag ?? '', q: q === undefined ? 1 : Number(q) };
    })
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    const l = resolveLocale(tag, 'xx' as Locale);
    if ((SUPPORTED_LOCALES as readonly string[]).includes(l)) return l;
  }
  return fallback;
}

export type Translate = (key: string, params?: Record<string, string | number>) => string;

export function translator(locale: Locale): Translate {
  return (key, params) => {
    let msg: string | undefined;
    for (const s of sets) {
      msg = s[locale][key];
      if (msg !== undefined) break;
    }
    if (msg === undefined) return key;
    if (!params) return msg;
    return msg.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
  };
}

export function allMessageSets(): readonly MessageSet[] {
  return sets;
}
