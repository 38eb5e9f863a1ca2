import type { Migration } from 'kysely';
import * as m0001 from './0001_lti_core';
import * as m0002 from './0002_lti_login_restart';
import * as m0003 from './0003_settings';
import * as m0004 from './0004_learning';
import * as m0006 from './0006_grades';
import * as m0007 from './0007_lti_state_nonce';
import * as m0008 from './0008_attempt_summaries';

/** Every migration, in order. Names sort lexically; add new ones at the end. */
export const migrations: Record<string, Migration> = {
  '0001_lti_core': m0001,
  '0002_lti_login_restart': m0002,
  '0003_settings': m0003,
  '0004_learning': m0004,
  '0006_grades': m0006,
  '0007_lti_state_nonce': m0007,
  '0008_attempt_summaries': m0008,
};
