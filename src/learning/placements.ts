import { z } from 'zod';
import type { ContentBank } from '../content/bank';
import type { PlacementRecord, PlacementRepository } from '../db/repositories/placements';
import type { ActivityKind, Grading } from '../db/tables/learning';

/**
 * Which activity a resource link shows. The placement row is found or created at every launch from
 * the launch claims; its titles and AGS and NRPS values follow the latest launch (the LMS may change
 * them), written only when they changed; the activity comes from the `custom` claim `activity=<id>` (a
 * manual custom parameter or what our deep linking response put there), or later from the instructor's
 * choice.
 */

/**
 * The launch facts a placement needs, as lti's Launch carries them after verifyLaunch (the one caller
 * is the launch route): every field read here was validated with zod when the id_token's claims were
 * (non-empty ids, custom values as strings, AGS scopes as a string array). A second zod parse here cost
 * more CPU per launch than the rest of the placement's code (in a process whose zod has parsed the
 * whole content bank).
 */
export interface PlacementLaunch {
  platformId: string;
  deploymentId: string;
  resourceLink: { id: string; title?: string };
  context?: { id: string; title?: string; label?: string };
  custom?: Readonly<Record<string, string>>;
  ags?: { scope?: readonly string[]; lineitems?: string; lineitem?: string };
  nrps?: { context_memberships_url?: string };
}

export interface ActivityRef {
  kind: ActivityKind;
  id: string;
}

/** The custom parameter that names the activity; a deep-linking response writes the same key. */
export const ACTIVITY_CUSTOM_KEY = 'activity';
/** The teacher's grading choice, written by the deep-linking response next to the activity. */
export const GRADING_CUSTOM_KEY = 'grading';

export const gradedChoiceSchema = z.enum(['pix', 'mastery', 'completion']);
export type GradedChoice = z.infer<typeof gradedChoiceSchema>;

/** The grading named by a launch's custom parameters, if valid. */
export function gradingFromCustom(custom: Readonly<Record<string, string>> | undefined): Grading | undefined {
  const raw = custom?.[GRADING_CUSTOM_KEY]?.trim().toLowerCase();
  if (raw === 'none') return 'none';
  return (gradedChoiceSchema.options as readonly string[]).includes(raw ?? '')
    ? (raw as GradedChoice)
    : undefined;
}

/**
 * `rentree-6e`, `parcours:rentree-6e`, `module:deepfakes-c-est-quoi` → the activity, or undefined when
 * the bank holds no such parcours or module. A bare id is looked up as a parcours first.
 */
export function resolveActivity(bank: ContentBank, raw: string | undefined): ActivityRef | undefined {
  const value = raw?.trim();
  if (!value) return undefined;
  const m = /^(parcours|module):(.+)$/.exec(value);
  if (m) {
    const kind = m[1] as ActivityKind;
    const id = m[2]!;
    const found = kind === 'parcours' ? bank.parcours.has(id) : bank.modules.has(id);
    return found ? { kind, id } : undefined;
  }
  if (bank.parcours.has(value)) return { kind: 'parcours', id: value };
  if (bank.modules.has(value)) return { kind: 'module', id: value };
  return undefined;
}

/** What the gradebook receives by default: a module reports completion, a parcours its mastery. */
export function defaultGrading(kind: ActivityKind): Grading {
  return kind === 'module' ? 'completion' : 'mastery';
}

export interface PlacementDeps {
  placements: PlacementRepository;
  bank: ContentBank;
  clock: { now(): number };
  newId: () => string;
}

export interface SyncedPlacement {
  placement: PlacementRecord;
  /** Set when `custom` named an activity that the content bank does not hold (shown to staff). */
  unknownCustomActivity?: string;
}

/**
 * Finds or creates the placement of a resource-link launch, refreshes its AGS/NRPS/title values and,
 * when `custom` names a known activity different from the bound one, binds it. In the steady state (a
 * known link, the same values, the same activity) this is one read and no write.
 */
export async function syncPlacementFromLaunch(
  deps: PlacementDeps,
  launch: PlacementLaunch,
): Promise<SyncedPlacement> {
  if (!launch.platformId || !launch.deploymentId || !launch.resourceLink.id) {
    throw new Error(
      'syncPlacementFromLaunch: a placement needs a platform, a deployment and a resource link',
    );
  }
  const now = deps.clock.now();
  const key = {
    platformId: launch.platformId,
    deploymentId: launch.deploymentId,
    resourceLinkId: launch.resourceLink.id,
  };
  let placement = await deps.placements.upsertFromLaunch(
    key,
    {
      contextId: launch.context?.id ?? null,
      contextTitle: launch.context?.title ?? launch.context?.label ?? null,
      title: launch.resourceLink.title ?? null,
      lineitemsUrl: launch.ags?.lineitems ?? null,
      lineitemUrl: launch.ags?.lineitem ?? null,
      agsScopes: [...(launch.ags?.scope ?? [])],
      nrpsUrl: launch.nrps?.context_memberships_url ?? null,
    },
    now,
    deps.newId,
  );
  const requested = launch.custom?.[ACTIVITY_CUSTOM_KEY];
  const activity = resolveActivity(deps.bank, requested);
  const grading = activity ? (gradingFromCustom(launch.custom) ?? defaultGrading(activity.kind)) : undefined;
  if (
    activity &&
    (placement.activityKind !== activity.kind ||
      placement.activityId !== activity.id ||
      placement.grading !== grading)
  ) {
    await deps.placements.bindActivity(
      placement.platformId,
      placement.id,
      { ...activity, grading: grading! },
      now,
    );
    placement = (await deps.placements.findById(placement.platformId, placement.id)) ?? placement;
  }
  return requested && !activity ? { placement, unknownCustomActivity: requested } : { placement };
}

/** The instructor's plain choice (unconfigured placement page): binds when the activity exists. */
export async function chooseActivity(
  deps: PlacementDeps,
  platformId: string,
  placementId: string,
  rawActivity: string,
): Promise<PlacementRecord | undefined> {
  const activity = resolveActivity(deps.bank, rawActivity);
  if (!activity) return undefined;
  const existing = await deps.placements.findById(platformId, placementId);
  if (!existing) return undefined;
  await deps.placements.bindActivity(
    platformId,
    placementId,
    { ...activity, grading: defaultGrading(activity.kind) },
    deps.clock.now(),
  );
  return deps.placements.findById(platformId, placementId);
}
