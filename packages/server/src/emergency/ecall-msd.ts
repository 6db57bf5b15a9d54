/**
 * The eCall Minimum Set of Data (CEN EN 15722), UPER-encoded as the standard's
 * ASN.1 module says, for `application/EmergencyCallData.eCall.MSD` (RFC 8147 5.1).
 * The module, as far as this codec reads and writes it:
 *
 *   ECallMessage ::= SEQUENCE { id INTEGER (0..255), msd MSDMessage }        -- id 1 (EN 15722:2011)
 *   ECallMessage ::= SEQUENCE { id INTEGER (0..255), msd OCTET STRING }      -- id 2 (EN 15722:2015): the MSDMessage in its own octets
 *   MSDMessage ::= SEQUENCE { msdStructure MSDStructure, optionalAdditionalData AdditionalData OPTIONAL, ... }
 *   MSDStructure ::= SEQUENCE {
 *     messageIdentifier INTEGER (0..255), control ControlType, vehicleIdentificationNumber VIN,
 *     vehiclePropulsionStorageType VehiclePropulsionStorageType, timestamp INTEGER (0..4294967295),
 *     vehicleLocation VehicleLocation, vehicleDirection INTEGER (0..255),
 *     recentVehicleLocationN1 VehicleLocationDelta OPTIONAL, recentVehicleLocationN2 VehicleLocationDelta OPTIONAL,
 *     numberOfPassengers INTEGER (0..255) OPTIONAL, ... }
 *   ControlType ::= SEQUENCE { automaticActivation BOOLEAN, testCall BOOLEAN, positionCanBeTrusted BOOLEAN, vehicleType VehicleType }
 *   VehicleType ::= ENUMERATED { passengerVehicleClassM1 (1), … motorcyclesClassL7e (13), ... }
 *   VIN ::= SEQUENCE { isowmi (SIZE(3)), isovds (SIZE(6)), isovisModelyear (SIZE(1)), isovisSeqPlant (SIZE(7)) }
 *           -- each PrintableString (FROM("A".."H"|"J".."N"|"P"|"R".."Z"|"0".."9"))
 *   VehiclePropulsionStorageType ::= SEQUENCE { gasolineTankPresent BOOLEAN DEFAULT FALSE, dieselTankPresent …,
 *           compressedNaturalGas …, liquidPropaneGas …, electricEnergyStorage …, hydrogenStorage …,
 *           otherStorage BOOLEAN DEFAULT FALSE -- id 2 only --, ... }
 *   VehicleLocation ::= SEQUENCE { positionLatitude INTEGER (-2147483648..2147483647), positionLongitude (same) }
 *           -- milliarcseconds; 2147483647 = unknown
 *   VehicleLocationDelta ::= SEQUENCE { latitudeDelta INTEGER (-512..511), longitudeDelta INTEGER (-512..511) }
 *           -- 100 milliarcseconds (≈ 3 m); N1 relative to the current location, N2 to N1
 *   AdditionalData ::= SEQUENCE { oid RELATIVE-OID, data OCTET STRING }
 *
 * In UPER that is: each extension marker a 0 bit, each OPTIONAL/DEFAULT a presence bit
 * ahead of the fields, constrained integers in just enough bits, VIN characters as
 * 6-bit indexes into the 33-character alphabet (X.691 30.5.4). Extensions (a 1 bit
 * where a marker is) are refused when decoding: no published version has any.
 */
import { BitReader, BitWriter } from './uper-bits.js';

export const MSD_CONTENT_TYPE = 'application/EmergencyCallData.eCall.MSD';
/** The largest MSD an in-band modem carries (EN 15722: 140 octets); RFC 8147 keeps the limit. */
export const MSD_MAX_BYTES = 140;

/** EN 15722 vehicle categories (UNECE), in the enumeration's order. */
export const VEHICLE_CLASSES = ['M1', 'M2', 'M3', 'N1', 'N2', 'N3', 'L1e', 'L2e', 'L3e', 'L4e', 'L5e', 'L6e', 'L7e'] as const;
export type VehicleClass = (typeof VEHICLE_CLASSES)[number];
/** Energy stores present, in VehiclePropulsionStorageType's order (`other` only in version 2). */
export const PROPULSION = ['gasoline', 'diesel', 'cng', 'lpg', 'electric', 'hydrogen', 'other'] as const;
export type Propulsion = (typeof PROPULSION)[number];

const VIN_ALPHABET = '0123456789ABCDEFGHJKLMNPRSTUVWXYZ';
export const VIN_PATTERN = /^[A-HJ-NPR-Z0-9]{17}$/;
/** positionLatitude / positionLongitude when the position is not known. */
export const POSITION_UNKNOWN = 2147483647;
/** vehicleDirection when not known (valid values 0..179, in 2° steps). */
export const DIRECTION_UNKNOWN = 255;
const INT32: [number, number] = [-2147483648, 2147483647];
const DELTA: [number, number] = [-512, 511];

export interface LocationDelta {
  /** 100 milliarcseconds. */
  latitudeDelta: number;
  longitudeDelta: number;
}

export interface Msd {
  /** The MSD format: 1 (EN 15722:2011) or 2 (EN 15722:2015). */
  version: 1 | 2;
  /** 1 for the first MSD of an incident, incremented for each one sent again. */
  messageIdentifier: number;
  automaticActivation: boolean;
  testCall: boolean;
  /** Whether the position is within 150 m with 95 % confidence. */
  positionCanBeTrusted: boolean;
  vehicleClass: VehicleClass;
  vin: string;
  propulsion: Propulsion[];
  /** Seconds since 1970-01-01 UTC, of the incident. */
  timestamp: number;
  /** WGS 84, milliarcseconds (`POSITION_UNKNOWN` when not known). */
  latitude: number;
  longitude: number;
  /** Direction of travel in 2° steps clockwise from north (0..179), or 255. */
  direction: number;
  recentN1?: LocationDelta;
  recentN2?: LocationDelta;
  numberOfPassengers?: number;
  additionalData?: { oid: string; data: Buffer };
}

export interface EncodeOptions {
  /**
   * Send every propulsion flag, FALSE ones too. Canonical PER leaves out a DEFAULT
   * component that has its default value (the default here); basic PER allows
   * either, and some in-vehicle encoders send them all.
   */
  explicitDefaults?: boolean;
}

/** The MSD's UPER encoding (version 2 wraps the MSDMessage in an octet string). */
export function encodeMsd(msd: Msd, opts: EncodeOptions = {}): Buffer {
  const out = new BitWriter();
  out.uint(msd.version, 8);
  if (msd.version === 2) {
    const body = new BitWriter();
    writeMessage(body, msd, opts);
    const inner = body.toBuffer();
    out.length(inner.length);
    out.octets(inner);
  } else writeMessage(out, msd, opts);
  const buf = out.toBuffer();
  if (buf.length > MSD_MAX_BYTES) throw new RangeError(`the MSD is ${buf.length} octets; at most ${MSD_MAX_BYTES}`);
  return buf;
}

function writeMessage(w: BitWriter, m: Msd, opts: EncodeOptions): void {
  w.bool(false); // MSDMessage extension marker
  w.bool(!!m.additionalData);
  w.bool(false); // MSDStructure extension marker
  w.bool(!!m.recentN1);
  w.bool(!!m.recentN2);
  w.bool(m.numberOfPassengers !== undefined);
  w.constrained(m.messageIdentifier, 0, 255);
  w.bool(m.automaticActivation);
  w.bool(m.testCall);
  w.bool(m.positionCanBeTrusted);
  w.bool(false); // VehicleType extension marker
  const cls = VEHICLE_CLASSES.indexOf(m.vehicleClass);
  if (cls < 0) throw new RangeError(`unknown vehicle class ${m.vehicleClass}`);
  w.constrained(cls, 0, VEHICLE_CLASSES.length - 1);
  if (!VIN_PATTERN.test(m.vin)) throw new RangeError('a VIN is 17 characters: digits and capitals except I, O, Q');
  for (const c of m.vin) w.uint(VIN_ALPHABET.indexOf(c), 6);
  const stores = m.version === 2 ? PROPULSION : PROPULSION.slice(0, 6);
  if (m.version === 1 && m.propulsion.includes('other')) throw new RangeError('"other" propulsion needs MSD version 2');
  w.bool(false); // VehiclePropulsionStorageType extension marker
  for (const s of stores) w.bool(opts.explicitDefaults || m.propulsion.includes(s));
  for (const s of stores) if (opts.explicitDefaults || m.propulsion.includes(s)) w.bool(m.propulsion.includes(s));
  w.constrained(m.timestamp, 0, 4294967295);
  w.constrained(m.latitude, ...INT32);
  w.constrained(m.longitude, ...INT32);
  w.constrained(m.direction, 0, 255);
  for (const d of [m.recentN1, m.recentN2]) {
    if (!d) continue;
    w.constrained(d.latitudeDelta, ...DELTA);
    w.constrained(d.longitudeDelta, ...DELTA);
  }
  if (m.numberOfPassengers !== undefined) w.constrained(m.numberOfPassengers, 0, 255);
  if (m.additionalData) {
    const oid = relativeOid(m.additionalData.oid);
    w.length(oid.length);
    w.octets(oid);
    w.length(m.additionalData.data.length);
    w.octets(m.additionalData.data);
  }
}

/** Decodes an MSD of version 1 or 2; throws a RangeError saying what is wrong. */
export function decodeMsd(buf: Uint8Array): Msd {
  if (buf.length > MSD_MAX_BYTES) throw new RangeError(`the MSD is ${buf.length} octets; at most ${MSD_MAX_BYTES}`);
  const r = new BitReader(buf);
  const version = r.uint(8);
  if (version === 1) return readMessage(r, 1);
  if (version !== 2) throw new RangeError(`MSD version ${version} is not supported`);
  const n = r.length();
  return readMessage(new BitReader(r.octets(n)), 2);
}

function readMessage(r: BitReader, version: 1 | 2): Msd {
  const noExtension = (what: string) => {
    if (r.bool()) throw new RangeError(`${what} has extensions, which this decoder does not read`);
  };
  noExtension('MSDMessage');
  const hasAdditional = r.bool();
  noExtension('MSDStructure');
  const [hasN1, hasN2, hasPassengers] = [r.bool(), r.bool(), r.bool()];
  const messageIdentifier = r.constrained(0, 255);
  const [automaticActivation, testCall, positionCanBeTrusted] = [r.bool(), r.bool(), r.bool()];
  noExtension('VehicleType');
  const vehicleClass = VEHICLE_CLASSES[r.constrained(0, 15)];
  if (!vehicleClass) throw new RangeError('unknown vehicle type');
  let vin = '';
  for (let i = 0; i < 17; i++) {
    const c = VIN_ALPHABET[r.uint(6)];
    if (!c) throw new RangeError('a VIN character outside the alphabet');
    vin += c;
  }
  const stores = version === 2 ? PROPULSION : PROPULSION.slice(0, 6);
  noExtension('VehiclePropulsionStorageType');
  const present = stores.map(() => r.bool());
  const propulsion = stores.filter((_, i) => present[i] && r.bool());
  const msd: Msd = {
    version,
    messageIdentifier,
    automaticActivation,
    testCall,
    positionCanBeTrusted,
    vehicleClass,
    vin,
    propulsion,
    timestamp: r.constrained(0, 4294967295),
    latitude: r.constrained(...INT32),
    longitude: r.constrained(...INT32),
    direction: r.constrained(0, 255),
  };
  const delta = (): LocationDelta => ({ latitudeDelta: r.constrained(...DELTA), longitudeDelta: r.constrained(...DELTA) });
  if (hasN1) msd.recentN1 = delta();
  if (hasN2) msd.recentN2 = delta();
  if (hasPassengers) msd.numberOfPassengers = r.constrained(0, 255);
  if (hasAdditional) {
    const oid = fromRelativeOid(r.octets(r.length()));
    msd.additionalData = { oid, data: r.octets(r.length()) };
  }
  return msd;
}

/** RELATIVE-OID contents (X.690 8.20): each arc in base 128, all but its last octet with the high bit set. */
function relativeOid(oid: string): Buffer {
  const out: number[] = [];
  for (const arc of oid.split('.')) {
    let n = Number(arc);
    if (!/^\d+$/.test(arc) || !Number.isSafeInteger(n)) throw new RangeError(`bad OID arc ${arc}`);
    const groups = [n % 128];
    for (n = Math.floor(n / 128); n > 0; n = Math.floor(n / 128)) groups.unshift(128 + (n % 128));
    out.push(...groups);
  }
  return Buffer.from(out);
}

function fromRelativeOid(b: Buffer): string {
  const arcs: number[] = [];
  let n = 0;
  for (const x of b) {
    n = n * 128 + (x & 0x7f);
    if (x < 0x80) {
      arcs.push(n);
      n = 0;
    }
  }
  return arcs.join('.');
}

/** Degrees to the MSD's milliarcseconds. */
export const toMilliarcseconds = (deg: number) => Math.round(deg * 3_600_000);
