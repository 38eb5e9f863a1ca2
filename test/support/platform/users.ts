/** Users of the simulated LMS, one per kind of launch the certification guide asks us to accept. */
export interface SimUser {
  /** The `sub` (Moodle: the user id); null sends an anonymous launch without sub. */
  id: string | null;
  /** Full URIs or short names; null omits the roles claim entirely. */
  roles: string[] | null;
  name?: string;
  givenName?: string;
  familyName?: string;
  email?: string;
  /** role_scope_mentor: the users a mentor follows. */
  mentees?: string[];
  /** Roles NRPS reports (Moodle: short names there, full URIs in the id_token). */
  nrpsRoles?: string[];
}

const M = 'http://purl.imsglobal.org/vocab/lis/v2/membership#';
const I = 'http://purl.imsglobal.org/vocab/lis/v2/institution/person#';
const S = 'http://purl.imsglobal.org/vocab/lis/v2/system/person#';

export const ROLE = {
  learner: `${M}Learner`,
  instructor: `${M}Instructor`,
  mentor: `${M}Mentor`,
  teachingAssistant: `${M}Instructor#TeachingAssistant`,
  contentDeveloper: `${M}ContentDeveloper`,
  contextAdmin: `${M}Administrator`,
  institutionAdmin: `${I}Administrator`,
  institutionStudent: `${I}Student`,
  systemAdmin: `${S}Administrator`,
} as const;

export const USERS = {
  learner: {
    id: 'u-learner-1',
    roles: [ROLE.learner, ROLE.institutionStudent],
    name: 'Léa Martin',
    givenName: 'Léa',
    familyName: 'Martin',
    email: 'lea.martin@example.org',
    nrpsRoles: ['Learner'],
  },
  learner2: {
    id: 'u-learner-2',
    roles: [ROLE.learner],
    name: 'Hugo Bernard',
    givenName: 'Hugo',
    familyName: 'Bernard',
    email: 'hugo.bernard@example.org',
    nrpsRoles: ['Learner'],
  },
  instructor: {
    id: 'u-teacher-1',
    roles: [ROLE.instructor],
    name: 'Claire Dubois',
    givenName: 'Claire',
    familyName: 'Dubois',
    email: 'claire.dubois@example.org',
    nrpsRoles: ['Instructor'],
  },
  mentor: {
    id: 'u-mentor-1',
    roles: [ROLE.mentor],
    name: 'Paul Martin',
    mentees: ['u-learner-1'],
    nrpsRoles: ['Mentor'],
  },
  admin: { id: 'u-admin-1', roles: [ROLE.systemAdmin, ROLE.institutionAdmin], name: 'Admin Site' },
  noRoles: { id: 'u-noroles-1', roles: [], name: 'Sans Rôle' },
  shortRoles: { id: 'u-short-1', roles: ['Instructor'], name: 'Short Names', nrpsRoles: ['Instructor'] },
  shortLearner: { id: 'u-short-2', roles: ['Learner'], name: 'Short Learner', nrpsRoles: ['Learner'] },
  unknownRole: { id: 'u-unknown-1', roles: ['urn:example:role:Astronaut'], name: 'Unknown Role' },
  anonymousName: { id: 'u-noname-1', roles: [ROLE.learner], nrpsRoles: ['Learner'] },
} satisfies Record<string, SimUser>;
