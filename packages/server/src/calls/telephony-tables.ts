/** Table types of the telephony feature (migration 0002-telephony). */
export interface FlowsTable {
  id: string;
  tenant_id: string;
  name: string;
  verbs: string;
  created_at: number;
  updated_at: number;
}

export interface TrunksTable {
  id: string;
  tenant_id: string;
  name: string;
  /** sip:host:port;transport=… of the carrier's proxy. */
  address: string;
  username: string | null;
  password_sealed: string | null;
  register: number;
  /** SrtpPolicy (migration 0024). */
  srtp: string;
  created_at: number;
}

export interface NumbersTable {
  id: string;
  tenant_id: string;
  /** E.164 (+15550100), an extension (100) or a SIP user name (echo). */
  number: string;
  flow_id: string | null;
  user_id: string | null;
  trunk_id: string | null;
  created_at: number;
}

export interface SipAccountsTable {
  id: string;
  tenant_id: string;
  username: string;
  password_sealed: string;
  user_id: string | null;
  /** SrtpPolicy (migration 0024). */
  srtp: string;
  created_at: number;
}

export interface SipRegistrationsTable {
  aor: string;
  contact: string;
  tenant_id: string;
  source: string;
  call_id: string;
  cseq: number;
  instance_id: string | null;
  expires_at: number;
}

export interface CallsTable {
  id: string;
  tenant_id: string;
  interaction_id: string;
  direction: 'inbound' | 'outbound';
  from_uri: string;
  to_uri: string;
  state: 'ringing' | 'answered' | 'ended';
  flow_id: string | null;
  created_at: number;
  answered_at: number | null;
  ended_at: number | null;
  end_cause: string | null;
}

export interface RecordingsTable {
  id: string;
  tenant_id: string;
  call_id: string;
  mode: 'received' | 'mixed';
  path: string;
  duration_seconds: number | null;
  created_at: number;
}

declare module '../store/schema.js' {
  interface Database {
    flows: FlowsTable;
    trunks: TrunksTable;
    numbers: NumbersTable;
    sip_accounts: SipAccountsTable;
    sip_registrations: SipRegistrationsTable;
    calls: CallsTable;
    recordings: RecordingsTable;
  }
}
