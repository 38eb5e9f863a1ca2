// Grades: attempt events → AGS scores through the outbox, and their delivery.
export { AgsGradeSink, type AgsGradeSinkDeps } from './ags-sink';
export { AgsScoreHandler, type AgsDeliveryDeps } from './ags-delivery';
export { LineItemResolver } from './line-items';
export {
  GRADING_CUSTOM_KEY,
  gradedChoiceSchema,
  gradingFromCustom,
  gradingsFor,
  scoreMaximumFor,
  parcoursMaxPix,
  type GradedChoice,
} from './grading';
export {
  AGS_SCORE_KIND,
  agsCoalesceKey,
  agsPlacementPrefix,
  agsScorePayloadSchema,
  scoreBody,
  scorePayloadFromEvent,
  type AgsScorePayload,
} from './score';
export { resyncPlacement, type ResyncReport } from './resync';
export { createServiceClients, type ServiceClients } from './clients';
export { createGradeServices, createAgsWorker, type GradeServices } from './setup';
