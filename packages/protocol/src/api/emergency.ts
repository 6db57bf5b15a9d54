/** Devices that call emergency services: the registry, their data batches, emergencies and the tenant's settings. */

export type DeviceKind = 'car' | 'wearable' | 'phone' | 'alarm';

/** A civic address (RFC 5139 / RFC 4776 element names). */
export interface CivicAddress {
  /** ISO 3166 alpha-2 country code. */
  country: string;
  /** A1: state, region. */
  A1?: string;
  /** A3: city. */
  A3?: string;
  /** RD: road, street. */
  RD?: string;
  /** HNO: house number. */
  HNO?: string;
  PC?: string;
  FLR?: string;
  /** LOC: additional location information (room, apartment). */
  LOC?: string;
  NAM?: string;
}

export interface EmergencyContact {
  name: string;
  /** E.164. */
  phone: string;
}

/** UNECE vehicle category, as the eCall MSD names it (EN 15722 VehicleType). */
export type VehicleClass = 'M1' | 'M2' | 'M3' | 'N1' | 'N2' | 'N3' | 'L1e' | 'L2e' | 'L3e' | 'L4e' | 'L5e' | 'L6e' | 'L7e';
/** Energy stores a vehicle carries (EN 15722 VehiclePropulsionStorageType). */
export type Propulsion = 'gasoline' | 'diesel' | 'cng' | 'lpg' | 'electric' | 'hydrogen' | 'other';

/** A car's vehicle data: with it, the car's emergency calls are eCalls and carry an MSD (RFC 8147). */
export interface VehicleInfo {
  /** ISO 3779, 17 characters (no I, O, Q). */
  vin: string;
  vehicleClass: VehicleClass;
  propulsion: Propulsion[];
}

export interface Device {
  id: string;
  name: string;
  kind: DeviceKind;
  /** The user who owns it: their /phone shows the countdown; their name may be spoken. */
  ownerUserId: string | null;
  contacts: EmergencyContact[];
  /** Where calls go, in order: a SIP URI, an E.164 number (via the tenant's trunk) or a service URN (`urn:service:sos`, `urn:service:test.sos`). */
  psaps: string[];
  /** Fixed devices (alarms): where they are. */
  civicAddress: CivicAddress | null;
  /** E.164 callback number sent in P-Asserted-Identity; default the tenant's. */
  callbackNumber: string | null;
  /** First characters of the key, to tell keys apart. */
  keyPrefix: string;
  revoked: boolean;
  createdAt: number;
  lastSeenAt: number | null;
  lastFix: GnssFix | null;
  /** Battery level in percent, as last reported. */
  battery: number | null;
  /** Cars: the vehicle data of the eCall MSD. */
  vehicle: VehicleInfo | null;
}

export interface CreateDeviceInput {
  name: string;
  kind: DeviceKind;
  ownerUserId?: string | null;
  contacts?: EmergencyContact[];
  psaps: string[];
  civicAddress?: CivicAddress | null;
  callbackNumber?: string | null;
  /** Cars only. */
  vehicle?: VehicleInfo | null;
}

export type UpdateDeviceInput = Partial<CreateDeviceInput>;

/** The device and its key: `key` is shown this once (stored as a hash). */
export interface CreatedDevice {
  device: Device;
  key: string;
}

/** A GNSS fix: WGS 84 degrees, `accuracy` the horizontal radius in metres, `speed` m/s. */
export interface GnssFix {
  /** Epoch ms. */
  t: number;
  lat: number;
  lon: number;
  accuracy: number;
  altitude?: number;
  speed?: number;
  /** Course over ground, degrees clockwise from north. */
  heading?: number;
}

/** What a device posts (`POST /api/devices/data`, `Authorization: Bearer csd_…`). Times are epoch ms. */
export interface DeviceBatch {
  /** Accelerometer in g, `[x, y, z]` per sample at `rate` Hz from `start`. */
  motion?: { start: number; rate: number; accel: [number, number, number][] };
  /** Gyroscope in deg/s, same layout. */
  gyro?: { start: number; rate: number; samples: [number, number, number][] };
  barometer?: { t: number; hPa: number }[];
  /** Mono audio: 16-bit little-endian PCM or a WAV file, base64. */
  audio?: { start: number; rate: number; format: 'pcm_s16le' | 'wav'; data: string };
  gnss?: GnssFix[];
  cells?: { mcc: number; mnc: number; lac?: number; cid: number; rssi?: number }[];
  wifi?: { bssid: string; rssi?: number }[];
  deviceInfo?: { manufacturer?: string; model?: string; os?: string; firmware?: string; imei?: string };
  /** Battery level, percent. */
  battery?: number;
  /** Cars: what the vehicle knows (seat-belt sensors), for the eCall MSD. */
  vehicle?: { passengers?: number };
}

export type DetectorKind = 'crash' | 'fall' | 'smoke' | 'co';

export interface BatchResult {
  accepted: true;
  /** An emergency this batch started (its countdown runs), if any. */
  emergencyId: string | null;
  detections: { kind: DetectorKind; confidence: number }[];
}

export type EmergencyState = 'countdown' | 'cancelled' | 'calling' | 'answered' | 'ended' | 'failed';

export interface EmergencyLocation {
  /** From a GNSS fix, or the registered civic address only. */
  source: 'gnss' | 'civic';
  lat: number | null;
  lon: number | null;
  /** Metres. */
  radius: number | null;
  civic: CivicAddress | null;
  /** A readable address, when known. */
  address: string | null;
  /** When the fix was taken (epoch ms). */
  time: number;
}

export interface Emergency {
  id: string;
  deviceId: string;
  deviceName: string;
  kind: DetectorKind;
  confidence: number;
  state: EmergencyState;
  location: EmergencyLocation | null;
  evidence: { window: { start: number; end: number }; figures: Record<string, number> };
  interactionId: string;
  /** When the call is placed unless cancelled (epoch ms). */
  callAt: number;
  /** The PSAP being or last called. */
  psap: string | null;
  attempts: number;
  createdAt: number;
  endedAt: number | null;
}

export interface EmergencySettings {
  /** Seconds between detection and the call, for the owner to cancel. */
  cancelSeconds: number;
  /** E.164 the PSAP calls back, unless the device has its own. */
  callbackNumber: string | null;
  /** Speak the owner's name in the message. */
  speakOwnerName: boolean;
  /** Where each service URN is routed: `{"urn:service:sos": ["sip:psap@…"]}`. */
  serviceRoutes: Record<string, string[]>;
  /** Attempts per PSAP before the next one. */
  attemptsPerPsap: number;
  /** Ring time of each attempt, seconds. */
  ringSeconds: number;
  /**
   * PSAPs (as devices list them: a service URN or a SIP URI) that alarms alert with data:
   * a SIP MESSAGE carrying a CAP alert (RFC 8876). `alone`: that is the emergency call, and
   * a voice call follows only when the PSAP refuses it; `pre-alert`: the MESSAGE, then the call.
   */
  capRoutes?: Record<string, 'alone' | 'pre-alert'>;
}
