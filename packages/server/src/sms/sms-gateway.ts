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
  /** Kept in the message log instead of `text`, when the text holds a secret (a reset link). */
  record?: string;
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

