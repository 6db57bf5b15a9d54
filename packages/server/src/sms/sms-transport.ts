export interface SmsTransportEvents {
  /** A mobile-originated message. */
  mo: [{ from: string; to: string; text: string }];
  /** A delivery receipt for a message we submitted (by the id `submit` returned). */
  receipt: [{ messageId: string; delivered: boolean; stat: string }];
}

/**
 * What carries SMS to and from the network: an SMPP session or an HTTP gateway.
 * `submit` resolves with the carrier's ids (one per part) once it accepted the
 * message, and throws `sms_unavailable` (503) or `sms_rejected` (502).
 */
export interface SmsTransport {
  on(event: 'mo', listener: (...args: SmsTransportEvents['mo']) => void): unknown;
  on(event: 'receipt', listener: (...args: SmsTransportEvents['receipt']) => void): unknown;
  submit(msg: { from: string; to: string; text: string }): Promise<string[]>;
  start(): void;
  stop(): Promise<void>;
}
