/** SMS through the tenant's gateway (SMPP or HTTP). */
export interface SmsEvents {
  'sms.sent': { messageId: string; to: string; from: string; parts: number };
  'sms.delivered': { messageId: string; to: string };
  /** `messageId` is absent when the SMSC never accepted the message. */
  'sms.failed': { messageId?: string; to: string; code: string; reason: string };
  'sms.received': { messageId: string; from: string; to: string; text: string };
}
