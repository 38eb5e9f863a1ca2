// The deep-linking catalogue: what a teacher can add to a course, and the content items it returns.
export {
  buildCatalogue,
  filterCatalogue,
  catalogueFilterSchema,
  durationOf,
  entryScoreMaximum,
  fold,
  CATALOGUE_KINDS,
  DURATIONS,
  type CatalogueEntry,
  type CatalogueFilter,
  type CatalogueKind,
  type Duration,
} from './catalogue';
export { AUDIENCES } from '../content/schema';
export {
  contentItemsFor,
  selectionFromForm,
  selectionSchema,
  acceptsResourceLinks,
  SelectionError,
  type Selection,
  type SelectionProblem,
} from './deep-link';
export { createCatalogueIndex, type CatalogueIndex } from './index-cache';
