/** Every SMS sent or received, and the open SMS conversation per (tenant, customer number). */
export interface SmsMessagesTable {
  id: string;
  tenant_id: string;
  interaction_id: string | null;
  direction: 'outbound' | 'inbound';
  peer: string;
  own_number: string;
  text: string;
  /** The SMSC's id of the first part (outbound): receipts find the message by it. */
  smsc_id: string | null;
  status: 'sent' | 'delivered' | 'failed' | 'received';
  created_at: number;
}

export interface SmsThreadsTable {
  id: string;
  tenant_id: string;
  peer: string;
  own_number: string;
  interaction_id: string;
  item_id: string | null;
  created_at: number;
}

declare module '../store/schema.js' {
  interface Database {
    sms_messages: SmsMessagesTable;
    sms_threads: SmsThreadsTable;
  }
}
