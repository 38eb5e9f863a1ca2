import crypto from 'node:crypto';
import type { AssessmentResult } from '../../assessment';
import { toLearnerChallenge } from '../../content/learner-view';
import type { Challenge, ContentBank } from '../../content/bank';
import type { Locale, ModuleElement } from '../../content/schema';
import type { ElementAnswerRow } from '../../db/repositories/attempts';
import { checkElement, elementSubmissionSchema, isInteractive, type CheckpointItem } from '../../learning';
import type { Translate } from '../../i18n';
import { blocks, pick, textBlocks } from './text';

/** Builds links that carry the launch session. */
export type Href = (path: string, query?: Record<string, string | number>) => string;

export function hrefWith(ls: string): Href {
  return (path, query = {}) => {
    const q = new URLSearchParams({
      ...Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)])),
      ls,
    });
    return `${path}?${q.toString()}`;
  };
}

/**
 * What the browser may see of a challenge before it is answered: instruction, choices, fields,
 * illustration, attachments, timer. Never the solution, the explanation or any hint of correctness.
 */
export function challengeView(
  challenge: Challenge,
  locale: Locale,
  href: Href,
  previous?: { choices?: string[]; values?: Record<string, string> },
  /** Proposals are ordered by this seed (the attempt id): stable on reload, different per attempt. */
  orderSeed = '',
) {
  // Built from the learner view only: what it leaves out (solution, explanation) cannot reach the page.
  const v = toLearnerChallenge(challenge, locale);
  const keepOrder = 'keepOrder' in challenge && challenge.keepOrder === true;
  const proposals = keepOrder
    ? (v.proposals ?? [])
    : shuffled(v.proposals ?? [], `${orderSeed}:${challenge.id}`);
  return {
    id: v.id,
    type: v.type,
    isQcu: v.type === 'QCU',
    isQcm: v.type === 'QCM',
    isFields: v.fields !== undefined,
    instruction: textBlocks(v.instruction),
    accessibility: v.accessibility,
    proposals: proposals.map((p) => ({
      id: p.id,
      inputId: `p-${p.id}`,
      text: p.text,
      checked: previous?.choices?.includes(p.id) ?? false,
    })),
    fields: (v.fields ?? []).map((f) => ({
      id: f.id,
      name: `field.${f.id}`,
      inputId: `f-${f.id}`,
      label: f.label,
      isNumber: f.kind === 'number',
      suffix: f.suffix,
      suffixId: f.suffix ? `f-${f.id}-suffix` : undefined,
      placeholder: f.placeholder,
      value: previous?.values?.[f.id] ?? '',
    })),
    illustration: v.illustration
      ? { src: href(`/learn/files/${v.illustration.file}`), alt: v.illustration.alt }
      : undefined,
    attachments: (v.attachments ?? []).map((a) => ({
      href: href(`/learn/files/${a.file}`, { download: 1 }),
      label: a.label,
      name: a.file.split('/').pop(),
    })),
  };
}

/** A deterministic shuffle: each item sorted by a hash of the seed and its id. */
export function shuffled<T extends { id: string }>(items: readonly T[], seed: string): T[] {
  const key = (id: string) => crypto.createHash('sha256').update(`${seed}\0${id}`).digest().readUInt32BE(0);
  return items
    .map((item) => ({ item, k: key(item.id) }))
    .sort((a, b) => a.k - b.k || (a.item.id < b.item.id ? -1 : 1))
    .map((x) => x.item);
}

export function checkpointView(items: CheckpointItem[], locale: Locale, t: Translate) {
  return items.map((item) => ({
    position: item.position,
    instruction: blocks(item.challenge.instruction, locale),
    ok: item.status === 'ok',
    statusLabel: t(`learner.status.${item.status}`),
    explanation: blocks(item.challenge.explanation, locale),
  }));
}

// ------------------------------------------------------------------------------- module elements

/** One module element ready for its partial, with the server's feedback when an answer is stored. */
export function elementView(
  element: ModuleElement,
  locale: Locale,
  href: Href,
  t: Translate,
  stored: ElementAnswerRow | undefined,
  focusId: string | undefined,
) {
  const base = {
    id: element.id,
    type: element.type,
    anchor: `el-${element.id}`,
    focus: focusId === element.id,
  };
  const submission = stored ? elementSubmissionSchema.safeParse(JSON.parse(stored.value)) : undefined;
  const answered = submission?.success ? submission.data : undefined;
  const checked = answered && isInteractive(element) ? checkElement(element, answered, locale) : undefined;
  const verdict =
    checked && checked.correct !== null
      ? {
          ok: checked.correct,
          label: t(checked.correct ? 'learner.feedback.right' : 'learner.feedback.wrong'),
        }
      : undefined;
  switch (element.type) {
    case 'text':
      return { ...base, isText: true, blocks: blocks(element.content, locale) };
    case 'image':
      return {
        ...base,
        isImage: true,
        src: href(`/learn/files/${element.file}`),
        alt: pick(element.alt, locale),
        caption: element.caption ? pick(element.caption, locale) : undefined,
      };
    case 'video':
      return {
        ...base,
        isVideo: true,
        title: pick(element.title, locale),
        src: href(`/learn/files/${element.file}`),
        captions: href(`/learn/files/${element.captions[locale]}`),
        poster: element.poster ? href(`/learn/files/${element.poster}`) : undefined,
        transcript: blocks(element.transcript, locale),
        srclang: locale,
      };
    case 'download':
      return {
        ...base,
        isDownload: true,
        href: href(`/learn/files/${element.file}`, { download: 1 }),
        label: pick(element.label, locale),
        name: element.file.split('/').pop(),
      };
    case 'expand':
      return {
        ...base,
        isExpand: true,
        title: pick(element.title, locale),
        blocks: blocks(element.content, locale),
      };
    case 'separator':
      return { ...base, isSeparator: true };
    case 'flashcards':
      return {
        ...base,
        isFlashcards: true,
        title: pick(element.title, locale),
        intro: element.intro ? pick(element.intro, locale) : undefined,
        cards: element.cards.map((c, i) => ({
          n: i + 1,
          front: pick(c.front, locale),
          back: blocks(c.back, locale),
        })),
        done: Boolean(answered),
      };
    case 'qcu': {
      const chosen = answered?.kind === 'qcu' ? answered.choice : undefined;
      const chosenProposal = element.proposals.find((p) => p.id === chosen);
      return {
        ...base,
        isQcu: true,
        instruction: blocks(element.instruction, locale),
        legendId: `${element.id}-legend`,
        answered: Boolean(answered),
        proposals: element.proposals.map((p) => ({
          id: p.id,
          inputId: `${element.id}-${p.id}`,
          text: pick(p.text, locale),
          checked: p.id === chosen,
        })),
        verdict,
        feedback: chosenProposal ? blocks(chosenProposal.feedback, locale) : [],
      };
    }
    case 'qcm': {
      const chosen = answered?.kind === 'qcm' ? answered.choices : [];
      return {
        ...base,
        isQcm: true,
        instruction: blocks(element.instruction, locale),
        legendId: `${element.id}-legend`,
        answered: Boolean(answered),
        proposals: element.proposals.map((p) => ({
          id: p.id,
          inputId: `${element.id}-${p.id}`,
          text: pick(p.text, locale),
          checked: chosen.includes(p.id),
        })),
        verdict,
        feedback: verdict
          ? blocks(verdict.ok ? element.feedback.valid : element.feedback.invalid, locale)
          : [],
      };
    }
    case 'qrocm': {
      const values = answered?.kind === 'qrocm' ? answered.values : {};
      return {
        ...base,
        isQrocm: true,
        instruction: blocks(element.instruction, locale),
        answered: Boolean(answered),
        fields: element.fields.map((f) => ({
          name: `field.${f.id}`,
          inputId: `${element.id}-${f.id}`,
          label: pick(f.label, locale),
          isNumber: f.kind === 'number',
          suffix: f.suffix ? pick(f.suffix, locale) : undefined,
          value: values[f.id] ?? '',
          partOk: checked?.parts ? checked.parts[f.id] : undefined,
          partLabel:
            checked?.parts === undefined
              ? undefined
              : t(checked.parts[f.id] ? 'learner.feedback.fieldRight' : 'learner.feedback.fieldWrong'),
        })),
        verdict,
        feedback: verdict
          ? blocks(verdict.ok ? element.feedback.valid : element.feedback.invalid, locale)
          : [],
      };
    }
    case 'sorter': {
      const sorted = answered?.kind === 'sorter' ? answered.cards : {};
      return {
        ...base,
        isSorter: true,
        instruction: blocks(element.instruction, locale),
        answered: Boolean(answered),
        cards: element.cards.map((c) => ({
          id: c.id,
          text: pick(c.text, locale),
          legendId: `${element.id}-${c.id}-legend`,
          options: element.categories.map((cat) => ({
            value: cat.id,
            inputId: `${element.id}-${c.id}-${cat.id}`,
            label: pick(cat.label, locale),
            checked: sorted[c.id] === cat.id,
          })),
          partOk: checked?.parts ? checked.parts[c.id] : undefined,
          partLabel:
            checked?.parts === undefined
              ? undefined
              : t(checked.parts[c.id] ? 'learner.feedback.cardRight' : 'learner.feedback.cardWrong'),
          feedback: checked ? pick(c.feedback, locale) : undefined,
        })),
        verdict,
      };
    }
  }
}

// ------------------------------------------------------------------------------- results

const W = 560;
// The full titles are in the table and the chart's text alternative; the bars keep short labels.
const shorten = (text: string, max: number) =>
  text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
const BAR_H = 22;
const GAP = 10;
const LABEL_W = 200;

/**
 * An inline SVG bar chart of pix per competence (role="img" with a summary label; the page shows
 * the same figures in a table). Sizes and colours are attributes, since the CSP forbids inline styles.
 */
export function competenceChart(
  bank: ContentBank,
  result: AssessmentResult,
  locale: Locale,
  maxPixPerCompetence: Map<string, number>,
) {
  const rows = result.competences.map((c, i) => {
    const info = bank.competences.get(c.competenceId);
    const max = Math.max(1, maxPixPerCompetence.get(c.competenceId) ?? c.pix);
    const barW = Math.round(((W - LABEL_W - 60) * Math.min(c.pix, max)) / max);
    return {
      y: i * (BAR_H + GAP),
      textY: i * (BAR_H + GAP) + BAR_H / 2 + 5,
      label: shorten(`${c.competenceId} ${info ? info.title[locale] : ''}`, 26),
      barX: LABEL_W,
      barW: Math.max(barW, 0),
      trackW: W - LABEL_W - 60,
      valueX: W - 50,
      value: `${c.pix}`,
      height: BAR_H,
    };
  });
  return { width: W, height: Math.max(BAR_H, rows.length * (BAR_H + GAP)), rows };
}
