// The teacher pages: deep-linking catalogue and class dashboard.
export { createTeacherRouter } from './router';
export type { TeacherDeps } from './deps';
export { teacherLaunchRoute } from './launch-route';
