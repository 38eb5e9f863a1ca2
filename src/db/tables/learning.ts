export type ActivityKind = 'parcours' | 'module';
export type Grading = 'none' | 'pix' | 'mastery' | 'completion';

export interface PlacementsTable {
  id: string;
  platform_id: string;
  deployment_id: string;
  resource_link_id: string;
  context_id: string | null;
  context_title: string | null;
  title: string | null;
  /** Null until a teacher (deep linking or custom activity=) chooses the activity. */
  activity_kind: ActivityKind | null;
  activity_id: string | null;
  grading: Grading;
  /** AGS endpoint claim of the latest launch: where to find or create the line item. */
  lineitems_url: string | null;
  lineitem_url: string | null;
  score_maximum: number | null;
  /** JSON array of the AGS scopes granted in the launch. */
  ags_scopes: string | null;
  nrps_url: string | null;
  created_at: number;
  updated_at: number;
}

export interface LearnersTable {
  platform_id: string;
  sub: string;
  name: string | null;
  given_name: string | null;
  family_name: string | null;
  email: string | null;
  locale: string | null;
  updated_at: number;
}

export interface AttemptsTable {
  id: string;
  placement_id: string;
  platform_id: string;
  user_sub: string;
  /** 1 for the first attempt of this learner on this placement, then 2, … */
  number: number;
  activity_kind: ActivityKind;
  activity_id: string;
  content_version: string;
  algorithm: string | null;
  seed: number;
  locale: string;
  status: 'started' | 'completed';
  /** Index of the parcours step in progress. */
  step_index: number;
  /** The challenge shown and not yet answered (resume shows it again; timers start at current_shown_at). */
  current_challenge_id: string | null;
  current_shown_at: number | null;
  /** JSON: module progress (grains seen) and other per-attempt state that is not answers. */
  progress: string | null;
  /** JSON: the computed result once completed (pix, levels, mastery, stage). */
  result: string | null;
  started_at: number;
  updated_at: number;
  completed_at: number | null;
}

export interface AnswersTable {
  attempt_id: string;
  challenge_id: string;
  step_index: number;
  /** Order of answers within the attempt (1, 2, …): the engine replays them in this order. */
  seq: number;
  /** JSON AnswerValue, null when skipped or timed out. */
  value: string | null;
  status: 'ok' | 'ko' | 'skipped' | 'timedout';
  /** JSON per-field correctness for multi-field answers. */
  fields: string | null;
  shown_at: number | null;
  answered_at: number;
  time_spent_ms: number | null;
}

export interface ElementAnswersTable {
  attempt_id: string;
  module_id: string;
  element_id: string;
  value: string;
  correct: number | null;
  answered_at: number;
}

export interface AttestationsTable {
  /** The public verification code. */
  code: string;
  attempt_id: string;
  platform_id: string;
  user_sub: string;
  parcours_id: string;
  holder_name: string | null;
  payload: string;
  issued_at: number;
}

export interface MembershipsTable {
  platform_id: string;
  context_id: string;
  user_sub: string;
  roles: string;
  status: string | null;
  name: string | null;
  given_name: string | null;
  family_name: string | null;
  email: string | null;
  fetched_at: number;
}

export interface OutboxTable {
  id: string;
  /** 'ags_score' | 'xapi' */
  kind: string;
  platform_id: string;
  /** Where it goes: the line item URL, the LRS id. */
  target: string;
  /** Later rows with the same key supersede earlier undelivered ones (e.g. one learner's score). */
  coalesce_key: string | null;
  payload: string;
  status: 'pending' | 'delivered' | 'parked' | 'superseded';
  tries: number;
  next_attempt_at: number;
  locked_by: string | null;
  locked_until: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  delivered_at: number | null;
}

export interface LearningTables {
  placements: PlacementsTable;
  learners: LearnersTable;
  attempts: AttemptsTable;
  answers: AnswersTable;
  element_answers: ElementAnswersTable;
  attestations: AttestationsTable;
  memberships: MembershipsTable;
  outbox: OutboxTable;
}
