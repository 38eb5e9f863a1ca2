// The in-repo LMS simulator: integration, browser and benchmark tests launch the tool through it.
export {
  startPlatform,
  SimulatedPlatform,
  type StartPlatformOptions,
  type ToolSettings,
  type LaunchOptions,
  type ForgeOptions,
  type StoredScore,
  type LineItemRecord,
  type Outage,
} from './platform';
export { parseForm, type LaunchDriverOptions, type LaunchDriverResult } from './driver';
export { CookieJar } from './cookie-jar';
export { USERS, ROLE, type SimUser } from './users';
