/** Sending and receiving SMS, whatever carries them (SMPP or an HTTP gateway). `ctx.services.get('sms')`. */
export interface SmsGateway {
  /** Resolves once the SMSC accepted the message; throws `sms_unavailable` / `sms_rejected` otherwise (and publishes `sms.failed`). */
  send(tenantId: string, msg: OutboundSms): Promise<{ messageId: string }>;
  /** Calls `handler` for every inbound message of a known tenant number; returns the unsubscribe. */
  onInbound(handler: (msg: InboundSms) => Promise<void> | void): () => void;
}

export interface OutboundSms {
  /** E.164. */
  to: string;
  /** Sender id: a tenant number or alphanumeric; default CALLSIGHT_SMS_FROM. */
  from?: string;
  text: string;
  /** The interaction the message belongs to, for its timeline. */
  interactionId?: string;
}

export interface InboundSms {
  messageId: string;
  tenantId: string;
  from: string;
  to: string;
  text: string;
  receivedAt: number;
}

declare module '../core/services.js' {
  interface Services {
    sms: SmsGateway;
    /** Present when SMS goes through an HTTP gateway: its signed inbound requests land here. */
    smsWebhook: { receive(rawBody: string, signature: string | undefined): void };
  }
}

declare module '../bus/event-map.js' {
  interface EventMap {
    'sms.sent': { messageId: string; to: string; from: string; parts: number };
    'sms.delivered': { messageId: string; to: string };
    /** `messageId` is absent when the SMSC never accepted the message. */
    'sms.failed': { messageId?: string; to: string; code: string; reason: string };
    'sms.received': { messageId: string; from: string; to: string; text: string };
  }
}
