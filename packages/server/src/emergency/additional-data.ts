import { el, xmlEscape } from './xml.js';

/** RFC 7852 Additional Data block types this sends by value, and their namespaces. */
export const ADDITIONAL_DATA = ['ProviderInfo', 'ServiceInfo', 'DeviceInfo', 'SubscriberInfo', 'Comment'] as const;
export type AdditionalDataType = (typeof ADDITIONAL_DATA)[number];

export const contentTypeOf = (t: AdditionalDataType) => `application/EmergencyCallData.${t}+xml`;
const ns = (t: AdditionalDataType) => `urn:ietf:params:xml:ns:EmergencyCallData:${t}`;

export interface AdditionalDataInput {
  /** Unique per block (DataProviderReference), e.g. `<emergency id>.<type>`. */
  reference: (t: AdditionalDataType) => string;
  providerName: string;
  providerId: string;
  /** tel: or sip: URI a PSAP can reach the data provider at. */
  providerContact: string;
  device: {
    kind: 'car' | 'wearable' | 'phone' | 'alarm';
    manufacturer?: string;
    model?: string;
    imei?: string;
    serial: string;
  };
  subscriber: { name: string | null; phone: string | null } | null;
  comment: string;
}

/** IANA "Device Classification" registry values per device kind. */
const CLASSIFICATION = { car: 'automobile', wearable: 'personal', phone: 'cellular', alarm: 'alarm-monitored' } as const;
/** IANA "Service Type" registry values: every call is placed by a sensor, unattended; phones and cars are wireless too. */
const SERVICE_TYPES = { car: ['sensor-unattended', 'wireless'], wearable: ['sensor-unattended', 'wireless'], phone: ['sensor-unattended', 'wireless'], alarm: ['sensor-unattended'] } as const;
const MOBILITY = { car: 'Mobile', wearable: 'Mobile', phone: 'Mobile', alarm: 'Fixed' } as const;

/** The RFC 7852 blocks of a device's call, each a complete XML document. */
export function additionalData(input: AdditionalDataInput): Record<AdditionalDataType, string> {
  const doc = (t: AdditionalDataType, inner: string, attrs = '') =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<ad:EmergencyCallData.${t} xmlns:ad="${ns(t)}"${attrs}>${el('ad:DataProviderReference', input.reference(t))}${inner}</ad:EmergencyCallData.${t}>\n`;
  const d = input.device;
  const sub = input.subscriber;
  // A withheld name still gives a vCard (fn is mandatory): privacyRequested says so.
  const vcard = `<xc:vcards xmlns:xc="urn:ietf:params:xml:ns:vcard-4.0"><xc:vcard><xc:fn><xc:text>${xmlEscape(sub?.name ?? 'Withheld')}</xc:text></xc:fn>${sub?.phone ? `<xc:tel><xc:uri>tel:${xmlEscape(sub.phone)}</xc:uri></xc:tel>` : ''}</xc:vcard></xc:vcards>`;
  return {
    ProviderInfo: doc(
      'ProviderInfo',
      el('ad:DataProviderString', input.providerName) + el('ad:ProviderID', input.providerId) + el('ad:ProviderIDSeries', 'NENA') + el('ad:TypeOfProvider', 'Telematics Provider') + el('ad:ContactURI', input.providerContact) + el('ad:Language', 'en'),
    ),
    ServiceInfo: doc('ServiceInfo', el('ad:ServiceEnvironment', 'unknown') + SERVICE_TYPES[d.kind].map((s) => el('ad:ServiceType', s)).join('') + el('ad:ServiceMobility', MOBILITY[d.kind])),
    DeviceInfo: doc(
      'DeviceInfo',
      el('ad:DeviceClassification', CLASSIFICATION[d.kind]) +
        el('ad:DeviceMfgr', d.manufacturer) +
        el('ad:DeviceModelNr', d.model) +
        (d.imei ? el('ad:UniqueDeviceID', d.imei, ' TypeOfDeviceID="IMEI"') : el('ad:UniqueDeviceID', d.serial, ' TypeOfDeviceID="SN"')),
    ),
    SubscriberInfo: doc('SubscriberInfo', `<ad:SubscriberData>${vcard}</ad:SubscriberData>`, ` privacyRequested="${sub?.name ? 'false' : 'true'}"`),
    Comment: doc('Comment', el('ad:Comment', input.comment, ' xml:lang="en"')),
  };
}
