/** Grade delivery bookkeeping and roster refreshes (migration 0006). */
export interface GradeSyncStateTable {
  platform_id: string;
  /** The outbox coalesce key: one learner on one placement. */
  coalesce_key: string;
  /** The newest score timestamp (ms) the platform holds or has refused as not new enough. */
  last_timestamp: number;
  updated_at: number;
}

export interface GradeLineItemsTable {
  placement_id: string;
  platform_id: string;
  lineitems_url: string;
  lineitem_url: string;
  created_at: number;
}

export interface RosterFetchesTable {
  platform_id: string;
  context_id: string;
  fetched_at: number;
  member_count: number;
  error: string | null;
}

export interface GradeTables {
  grade_sync_state: GradeSyncStateTable;
  grade_line_items: GradeLineItemsTable;
  roster_fetches: RosterFetchesTable;
}
