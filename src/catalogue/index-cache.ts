import type { ContentBank } from '../content/bank';
import { buildCatalogue, type CatalogueEntry } from './catalogue';

export interface CatalogueIndex {
  entries: CatalogueEntry[];
  byValue: ReadonlyMap<string, CatalogueEntry>;
  competenceTitle(id: string, locale?: 'fr' | 'en'): string;
  competences(locale: 'fr' | 'en'): { id: string; title: string }[];
}

/** The catalogue of a bank, built on first use (resolving target profiles costs a little) and kept. */
export function createCatalogueIndex(bank: ContentBank): () => CatalogueIndex {
  let built: CatalogueIndex | undefined;
  return () => {
    if (built) return built;
    const entries = buildCatalogue(bank);
    const title = (id: string, locale: 'fr' | 'en' = 'fr') => bank.competences.get(id)?.title[locale] ?? id;
    built = {
      entries,
      byValue: new Map(entries.map((e) => [e.value, e])),
      competenceTitle: title,
      competences: (locale) =>
        [...bank.competences.keys()].sort().map((id) => ({ id, title: `${id} ${title(id, locale)}` })),
    };
    return built;
  };
}
