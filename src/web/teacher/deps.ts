import type { NrpsClient, ToolSigner } from '../../../lti';
import type { CatalogueIndex } from '../../catalogue';
import type { Clock } from '../../clock';
import type { ContentBank } from '../../content/bank';
import type { DashboardRepository } from '../../db/repositories/dashboard';
import type { MembershipRepository } from '../../db/repositories/memberships';
import type { PlacementRepository } from '../../db/repositories/placements';
import type { PlatformRecord } from '../../db/repositories/platforms';
import type { GradeServices } from '../../grades/setup';
import type { Logger } from '../../logger';

/** What the teacher pages need, passed explicitly by src/web/app.ts. */
export interface TeacherDeps {
  publicUrl: string;
  signer: ToolSigner;
  clock: Clock;
  logger: Logger;
  bank: ContentBank;
  catalogue: () => CatalogueIndex;
  placements: PlacementRepository;
  platforms: { findById(id: string): Promise<PlatformRecord | undefined> };
  grades: GradeServices;
  memberships: MembershipRepository;
  dashboard: DashboardRepository;
  nrps: Pick<NrpsClient, 'members'>;
  /** A roster older than this is refreshed in the background when the dashboard opens. */
  rosterMaxAgeMs?: number;
}
