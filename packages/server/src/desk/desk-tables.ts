/** A wrap-up of a finished voice/video work item (one per item). */
export interface DeskWrapUpsTable {
  item_id: string;
  tenant_id: string;
  interaction_id: string;
  agent_id: string;
  queue_id: string;
  code: string | null;
  notes: string | null;
  /** 0/1: nobody wrapped up before the queue's wrap-up time ran out. */
  timed_out: number;
  done_at: number;
}

declare module '../store/schema.js' {
  interface Database {
    desk_wrap_ups: DeskWrapUpsTable;
  }
}
