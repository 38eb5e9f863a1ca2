import type { Locale, Localized } from '../../content/schema';

/**
 * Content texts are plain text with blank lines between paragraphs and "- " list lines. Turned into
 * blocks that the templates render with escaping (no HTML from content reaches the page).
 */
export type TextBlock = { paragraph: string } | { list: string[] };

export function textBlocks(text: string): TextBlock[] {
  return text
    .split(/\n\s*\n/)
    .map((block) =>
      block
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean),
    )
    .filter((lines) => lines.length > 0)
    .map((lines) =>
      lines.every((l) => /^[-•*]\s+/.test(l))
        ? { list: lines.map((l) => l.replace(/^[-•*]\s+/, '')) }
        : { paragraph: lines.join(' ') },
    );
}

export const pick = (text: Localized | undefined, locale: Locale): string => (text ? text[locale] : '');

export const blocks = (text: Localized | undefined, locale: Locale): TextBlock[] =>
  text ? textBlocks(text[locale]) : [];

/** "12 minutes" style durations are rounded by the caller; this formats a date for the locale. */
export function formatDate(ms: number, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/Paris',
  }).format(new Date(ms));
}
