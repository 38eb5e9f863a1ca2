// The LTI side of the web app: what src/web/app.ts mounts and what other pages reuse.
export { createLtiContext, toolUrls, type LtiContext, type LtiContextDeps } from './context';
export { createLtiRouter } from './router';
export { installLtiFastLane } from './fast-lane';
export { ltiForm } from './form';
export { loginHandler } from './login';
export { securityHeaders } from './headers';
export { requireLaunch, launchToken, type LaunchLocals } from './session';
export { defaultLaunchRouter, launchHandler, type LaunchRouter } from './launch';
export { launchSummary } from './pages';
export { storedLaunchSchema, displayName, type StoredLaunch } from './stored-launch';
export { renderLtiError, LtiPageError } from './errors';
export { startLtiMaintenance, ensureToolKey } from './maintenance';
export { SESSION_COOKIE } from './cookies';
export { rotateToolKeys, type RotationPlan } from './keys';
