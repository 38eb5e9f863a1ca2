/**
 * The assessment engine: pure, deterministic domain code (no HTTP, SQL or LTI).
 * Usage notes for callers are completed as the engine lands; see below.
 */
export * from './types';
export * from './checking';
