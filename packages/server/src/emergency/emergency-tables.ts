/** Emergency devices, emergencies and settings (JSON columns as text on both backends). */
export interface EmergencyDevicesTable {
  id: string;
  tenant_id: string;
  name: string;
  kind: 'car' | 'wearable' | 'phone' | 'alarm';
  owner_user_id: string | null;
  contacts: string;
  psaps: string;
  civic_address: string | null;
  callback_number: string | null;
  /** SHA-256 of the device key's secret part; the key itself is shown once. */
  key_hash: string;
  revoked_at: number | null;
  created_at: number;
  last_seen_at: number | null;
  last_fix: string | null;
  device_info: string | null;
  /** Percent, as last reported. */
  battery: number | null;
  /** Cars: VehicleInfo JSON (the eCall MSD's vehicle data). */
  vehicle: string | null;
}

export interface EmergenciesTable {
  id: string;
  tenant_id: string;
  device_id: string;
  interaction_id: string;
  kind: 'crash' | 'fall' | 'smoke' | 'co';
  confidence: number;
  state: 'countdown' | 'cancelled' | 'calling' | 'answered' | 'ended' | 'failed';
  location: string | null;
  evidence: string;
  call_at: number;
  psap: string | null;
  attempts: number;
  created_at: number;
  ended_at: number | null;
  /** Cars with vehicle data: the eCall MSD (JSON, encoded per INVITE, whose test flag depends on the PSAP). */
  msd: string | null;
}

export interface EmergencySettingsTable {
  tenant_id: string;
  settings: string;
  updated_at: number;
}

declare module '../store/schema.js' {
  interface Database {
    emergency_devices: EmergencyDevicesTable;
    emergencies: EmergenciesTable;
    emergency_settings: EmergencySettingsTable;
  }
}
