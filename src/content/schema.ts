import { z } from 'zod';

/**
 * The content contract: what content/*.yaml must look like. Every other part of the tool (engine,
 * learner pages, catalogue) reads content through the types inferred here.
 */

export const LOCALES = ['fr', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

const text = z.string().trim().min(1, 'must not be empty');
/** A text in both languages. */
export const localized = z.object({ fr: text, en: text }).strict();
export type Localized = z.infer<typeof localized>;

export const AUDIENCES = ['ecole', 'college', 'lycee', 'superieur', 'adultes', 'parents'] as const;
export const audience = z.enum(AUDIENCES);
export type Audience = z.infer<typeof audience>;

/** A fact that ages or is not common knowledge says where it comes from. */
export const source = z.union([
  text,
  z.object({ title: text, url: z.url().optional(), date: text.optional() }).strict(),
]);

const idPattern = /^[a-z0-9][a-z0-9._-]*$/;
const contentId = z.string().regex(idPattern, 'ids are lower-case letters, digits, ".", "_" or "-"');
const tubeId = z
  .string()
  .regex(/^[a-z][A-Za-z0-9]*$/, 'tube ids are camelCase letters and digits, e.g. moteurRecherche');
const competenceId = z.string().regex(/^[1-5]\.[1-4]$/, 'competence ids look like "1.1" … "5.2"');
const fileRef = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/, 'a file path relative to content/attachments/');

// ---------- framework ----------
export const competenceSchema = z
  .object({ id: competenceId, title: localized, description: localized })
  .strict();
export const domainSchema = z
  .object({
    id: z.string().regex(/^[1-5]$/),
    title: localized,
    competences: z.array(competenceSchema).min(1),
  })
  .strict();
export const frameworkSchema = z.object({ domains: z.array(domainSchema).length(5) }).strict();
export type Framework = z.infer<typeof frameworkSchema>;
export type Competence = z.infer<typeof competenceSchema>;

// ---------- challenges ----------
export const TOLERANCES = ['T1', 'T2', 'T3'] as const;
export const tolerance = z.enum(TOLERANCES);
export type Tolerance = z.infer<typeof tolerance>;

/** Accepted variants for a free-text field: the same in both languages, or per language. */
export const acceptedText = z.union([
  z.array(text).min(1),
  z.object({ fr: z.array(text).min(1), en: z.array(text).min(1) }).strict(),
]);
/** A number, with an absolute tolerance (0 = exact). `3,5` and `3.5` are both read as 3.5. */
export const acceptedNumber = z
  .object({ number: z.number(), tolerance: z.number().min(0).default(0) })
  .strict();
export const acceptedValue = z.union([acceptedText, acceptedNumber]);
export type AcceptedValue = z.infer<typeof acceptedValue>;

export const proposalSchema = z.object({ id: contentId, text: localized }).strict();
export const fieldSchema = z
  .object({
    id: contentId,
    label: localized,
    kind: z.enum(['text', 'number']).default('text'),
    /** Shown after the field, e.g. "€" or "pix". */
    suffix: localized.optional(),
    placeholder: localized.optional(),
  })
  .strict();

export const illustrationSchema = z.object({ file: fileRef, alt: localized }).strict();
export const attachmentSchema = z
  .object({
    file: fileRef,
    /** What the learner sees on the download link. */
    label: localized,
    /** The script under scripts/ that generates the file reproducibly. */
    generatedBy: z.string().optional(),
  })
  .strict();

const challengeCommon = {
  id: contentId,
  instruction: localized,
  explanation: localized,
  estimatedSeconds: z.number().int().min(10).max(1800),
  audiences: z.array(audience).min(1),
  /** IRT 2PL parameters on the level scale; defaults: discrimination 1, difficulty = skill level. */
  irt: z
    .object({ discrimination: z.number().min(0.2).max(4), difficulty: z.number().min(-1).max(9) })
    .strict()
    .optional(),
  /** Seconds allowed; the server enforces it. */
  timer: z.number().int().min(10).max(600).optional(),
  illustration: illustrationSchema.optional(),
  attachments: z.array(attachmentSchema).optional(),
  /** Notes for screen-reader or keyboard users, shown to everyone. */
  accessibility: localized.optional(),
  tolerances: z.array(tolerance).default(['T1', 'T2', 'T3']),
  source: z.union([source, z.array(source).min(1)]).optional(),
  /** Some challenges exist in one language only (e.g. about French law); default both. */
  locales: z.array(z.enum(LOCALES)).min(1).default(['fr', 'en']),
  /**
   * For free-text types (QROC, QROCM-ind, QROCM-dep): plausible wrong answers a real learner might
   * give (field id → value). Tests check that each one is refused by the checker.
   */
  wrongAnswers: z.array(z.record(z.string(), z.string())).optional(),
  /**
   * QCU/QCM proposals are shown in an order shuffled per attempt, so that position says nothing;
   * true keeps the file's order where the order means something (a scale, a sequence).
   */
  keepOrder: z.boolean().optional(),
};

export const qcuSchema = z
  .object({
    ...challengeCommon,
    type: z.literal('QCU'),
    proposals: z.array(proposalSchema).min(2),
    solution: contentId,
  })
  .strict();
export const qcmSchema = z
  .object({
    ...challengeCommon,
    type: z.literal('QCM'),
    proposals: z.array(proposalSchema).min(3),
    solution: z.array(contentId).min(2),
  })
  .strict();
export const qrocSchema = z
  .object({
    ...challengeCommon,
    type: z.literal('QROC'),
    fields: z.array(fieldSchema).length(1),
    solution: z.record(z.string(), acceptedValue),
  })
  .strict();
export const qrocmIndSchema = z
  .object({
    ...challengeCommon,
    type: z.literal('QROCM-ind'),
    fields: z.array(fieldSchema).min(2),
    solution: z.record(z.string(), acceptedValue),
  })
  .strict();
export const qrocmDepSchema = z
  .object({
    ...challengeCommon,
    type: z.literal('QROCM-dep'),
    fields: z.array(fieldSchema).min(2),
    /** Interchangeable answers: each field must match a different group. */
    solution: z.object({ groups: z.array(acceptedText).min(2) }).strict(),
  })
  .strict();

export const challengeSchema = z.discriminatedUnion('type', [
  qcuSchema,
  qcmSchema,
  qrocSchema,
  qrocmIndSchema,
  qrocmDepSchema,
]);
export type ChallengeDef = z.infer<typeof challengeSchema>;
export type ChallengeType = ChallengeDef['type'];

export const skillSchema = z
  .object({
    level: z.number().int().min(1).max(8),
    /** What a learner who has this skill can do. */
    description: localized,
    challenges: z.array(challengeSchema).min(1),
  })
  .strict();
export const tubeSchema = z
  .object({
    id: tubeId,
    title: localized,
    description: localized.optional(),
    skills: z.array(skillSchema).min(1),
  })
  .strict();
/** content/competences/<id>.yaml */
export const competenceFileSchema = z
  .object({ competence: competenceId, tubes: z.array(tubeSchema).min(1) })
  .strict();
export type CompetenceFile = z.infer<typeof competenceFileSchema>;

// ---------- modules ----------
const el = <K extends string, T extends z.ZodRawShape>(type: K, shape: T) =>
  z.object({ id: contentId, type: z.literal(type), ...shape }).strict();

const feedbackPair = z.object({ valid: localized, invalid: localized }).strict();

export const elementSchema = z.discriminatedUnion('type', [
  el('text', { content: localized }),
  el('image', { file: fileRef, alt: localized, caption: localized.optional() }),
  el('video', {
    file: fileRef,
    captions: z.object({ fr: fileRef, en: fileRef }).strict(),
    transcript: localized,
    poster: fileRef.optional(),
    title: localized,
  }),
  el('download', { file: fileRef, label: localized }),
  el('expand', { title: localized, content: localized }),
  el('separator', {}),
  el('flashcards', {
    title: localized,
    intro: localized.optional(),
    cards: z.array(z.object({ front: localized, back: localized }).strict()).min(2),
  }),
  el('sorter', {
    instruction: localized,
    categories: z.array(z.object({ id: contentId, label: localized }).strict()).length(2),
    cards: z
      .array(z.object({ id: contentId, text: localized, category: contentId, feedback: localized }).strict())
      .min(3),
  }),
  el('qcu', {
    instruction: localized,
    proposals: z.array(z.object({ id: contentId, text: localized, feedback: localized }).strict()).min(2),
    solution: contentId,
  }),
  el('qcm', {
    instruction: localized,
    proposals: z.array(z.object({ id: contentId, text: localized }).strict()).min(3),
    solution: z.array(contentId).min(2),
    feedback: feedbackPair,
  }),
  el('qrocm', {
    instruction: localized,
    fields: z.array(fieldSchema).min(1),
    solution: z.record(z.string(), acceptedValue),
    tolerances: z.array(tolerance).default(['T1', 'T2', 'T3']),
    feedback: feedbackPair,
  }),
]);
export type ModuleElement = z.infer<typeof elementSchema>;
export const INTERACTIVE_ELEMENTS = ['flashcards', 'sorter', 'qcu', 'qcm', 'qrocm'] as const;

export const grainSchema = z
  .object({
    id: contentId,
    kind: z.enum(['lesson', 'discovery', 'activity', 'challenge', 'summary', 'transition']),
    title: localized,
    elements: z.array(elementSchema).min(1),
  })
  .strict();
export const sectionSchema = z
  .object({ id: contentId, title: localized, grains: z.array(grainSchema).min(1) })
  .strict();
/** content/modules/<id>.yaml */
export const moduleSchema = z
  .object({
    id: contentId,
    title: localized,
    audiences: z.array(audience).min(1),
    competences: z.array(competenceId).default([]),
    details: z
      .object({
        description: localized,
        minutes: z.number().int().min(1).max(120),
        level: z.enum(['novice', 'independent', 'advanced', 'expert']),
        objectives: z.array(localized).min(1),
        image: illustrationSchema.optional(),
      })
      .strict(),
    /** Parent courses and pupils' modules are grouped in the catalogue. */
    collection: z.enum(['modules', 'parents']).default('modules'),
    source: z.union([source, z.array(source).min(1)]).optional(),
    sections: z.array(sectionSchema).min(1),
  })
  .strict();
export type ModuleDef = z.infer<typeof moduleSchema>;

// ---------- parcours ----------
export const targetProfileSchema = z
  .object({
    tubes: z.array(z.object({ tube: tubeId, maxLevel: z.number().int().min(1).max(8) }).strict()).default([]),
    /** Shortcut: every tube of these competences, capped at maxLevel. */
    competences: z
      .array(z.object({ competence: competenceId, maxLevel: z.number().int().min(1).max(8) }).strict())
      .default([]),
  })
  .strict()
  .refine((t) => t.tubes.length + t.competences.length > 0, 'a target profile needs tubes or competences');
export type TargetProfileDef = z.infer<typeof targetProfileSchema>;

export const ALGORITHMS = ['irt', 'smart-random', 'fixed', 'random'] as const;
export const algorithm = z.enum(ALGORITHMS);
export type Algorithm = z.infer<typeof algorithm>;

export const stepSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('assessment'),
      id: contentId,
      title: localized,
      targetProfile: targetProfileSchema,
      algorithm: algorithm.optional(),
      maxChallenges: z.number().int().min(1).max(200).optional(),
      /** For algorithm fixed: the teacher's sequence. */
      sequence: z.array(contentId).optional(),
    })
    .strict(),
  z.object({ type: z.literal('module'), id: contentId, module: contentId }).strict(),
]);
export type StepDef = z.infer<typeof stepSchema>;

/** content/parcours/<id>.yaml */
export const parcoursSchema = z
  .object({
    id: contentId,
    title: localized,
    description: localized,
    audiences: z.array(audience).min(1),
    algorithm: algorithm.default('smart-random'),
    steps: z.array(stepSchema).min(1),
    /** Mastery thresholds (0..100) with a title and a message, ascending. */
    stages: z
      .array(
        z.object({ threshold: z.number().min(0).max(100), title: localized, message: localized }).strict(),
      )
      .default([]),
    badges: z
      .array(
        z
          .object({
            id: contentId,
            title: localized,
            threshold: z.number().min(0).max(100),
            tubes: z.array(tubeId).min(1),
          })
          .strict(),
      )
      .default([]),
    attestation: z
      .object({ title: localized, description: localized, minMastery: z.number().min(0).max(100).default(0) })
      .strict()
      .optional(),
  })
  .strict();
export type ParcoursDef = z.infer<typeof parcoursSchema>;
