import type { Challenge } from './bank';
import type { ChallengeDef, Locale, Localized, ModuleElement } from './schema';

/**
 * What a learner's browser may receive before answering: the question, never its solution,
 * explanation, feedback or the wrong answers authors anticipated. Built field by field (no spread
 * of the definition) so that a field added to the schema later stays server-side until chosen.
 */

export interface LearnerField {
  id: string;
  label: string;
  kind: 'text' | 'number';
  suffix?: string;
  placeholder?: string;
}

export interface LearnerChallenge {
  id: string;
  type: ChallengeDef['type'];
  instruction: string;
  proposals?: { id: string; text: string }[];
  fields?: LearnerField[];
  illustration?: { file: string; alt: string };
  attachments?: { file: string; label: string }[];
  /** Seconds allowed. */
  timer?: number;
  accessibility?: string;
}

const optional = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } =>
  (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };

function learnerField(
  field: {
    id: string;
    label: Localized;
    kind: 'text' | 'number';
    suffix?: Localized;
    placeholder?: Localized;
  },
  locale: Locale,
): LearnerField {
  return {
    id: field.id,
    label: field.label[locale],
    kind: field.kind,
    ...optional('suffix', field.suffix?.[locale]),
    ...optional('placeholder', field.placeholder?.[locale]),
  };
}

export function toLearnerChallenge(challenge: ChallengeDef | Challenge, locale: Locale): LearnerChallenge {
  const proposals =
    challenge.type === 'QCU' || challenge.type === 'QCM'
      ? challenge.proposals.map((p) => ({ id: p.id, text: p.text[locale] }))
      : undefined;
  const fields =
    challenge.type === 'QCU' || challenge.type === 'QCM'
      ? undefined
      : challenge.fields.map((f) => learnerField(f, locale));
  return {
    id: challenge.id,
    type: challenge.type,
    instruction: challenge.instruction[locale],
    ...optional('proposals', proposals),
    ...optional('fields', fields),
    ...optional(
      'illustration',
      challenge.illustration && {
        file: challenge.illustration.file,
        alt: challenge.illustration.alt[locale],
      },
    ),
    ...optional(
      'attachments',
      challenge.attachments?.map((a) => ({ file: a.file, label: a.label[locale] })),
    ),
    ...optional('timer', challenge.timer),
    ...optional('accessibility', challenge.accessibility?.[locale]),
  };
}

export type LearnerElement =
  | { id: string; type: 'text'; content: string }
  | { id: string; type: 'image'; file: string; alt: string; caption?: string }
  | {
      id: string;
      type: 'video';
      file: string;
      title: string;
      captions: { fr: string; en: string };
      transcript: string;
      poster?: string;
    }
  | { id: string; type: 'download'; file: string; label: string }
  | { id: string; type: 'expand'; title: string; content: string }
  | { id: string; type: 'separator' }
  | {
      id: string;
      type: 'flashcards';
      title: string;
      intro?: string;
      cards: { front: string; back: string }[];
    }
  | {
      id: string;
      type: 'sorter';
      instruction: string;
      categories: { id: string; label: string }[];
      cards: { id: string; text: string }[];
    }
  | { id: string; type: 'qcu' | 'qcm'; instruction: string; proposals: { id: string; text: string }[] }
  | { id: string; type: 'qrocm'; instruction: string; fields: LearnerField[] };

export function toLearnerElement(element: ModuleElement, locale: Locale): LearnerElement {
  const { id } = element;
  switch (element.type) {
    case 'text':
      return { id, type: 'text', content: element.content[locale] };
    case 'image':
      return {
        id,
        type: 'image',
        file: element.file,
        alt: element.alt[locale],
        ...optional('caption', element.caption?.[locale]),
      };
    case 'video':
      return {
        id,
        type: 'video',
        file: element.file,
        title: element.title[locale],
        captions: { fr: element.captions.fr, en: element.captions.en },
        transcript: element.transcript[locale],
        ...optional('poster', element.poster),
      };
    case 'download':
      return { id, type: 'download', file: element.file, label: element.label[locale] };
    case 'expand':
      return { id, type: 'expand', title: element.title[locale], content: element.content[locale] };
    case 'separator':
      return { id, type: 'separator' };
    case 'flashcards':
      // Flashcards teach: their backs are content, not answers.
      return {
        id,
        type: 'flashcards',
        title: element.title[locale],
        ...optional('intro', element.intro?.[locale]),
        cards: element.cards.map((c) => ({ front: c.front[locale], back: c.back[locale] })),
      };
    case 'sorter':
      return {
        id,
        type: 'sorter',
        instruction: element.instruction[locale],
        categories: element.categories.map((c) => ({ id: c.id, label: c.label[locale] })),
        cards: element.cards.map((c) => ({ id: c.id, text: c.text[locale] })),
      };
    case 'qcu':
    case 'qcm':
      return {
        id,
        type: element.type,
        instruction: element.instruction[locale],
        proposals: element.proposals.map((p) => ({ id: p.id, text: p.text[locale] })),
      };
    case 'qrocm':
      return {
        id,
        type: 'qrocm',
        instruction: element.instruction[locale],
        fields: element.fields.map((f) => learnerField(f, locale)),
      };
  }
}
