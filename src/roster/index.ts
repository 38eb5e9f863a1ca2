// Rosters: NRPS members of a course, cached per context and refreshed on demand or by age.
export {
  refreshRoster,
  rosterIsStale,
  toRosterMember,
  DEFAULT_ROSTER_MAX_AGE_MS,
  type RosterDeps,
  type RosterMember,
  type RefreshResult,
} from './roster';
