/** SMS sent and received by agents, per interaction. */

export interface SmsMessage {
  id: string;
  direction: 'outbound' | 'inbound';
  peer: string;
  ownNumber: string;
  text: string;
  status: 'sent' | 'delivered' | 'failed' | 'received';
  createdAt: number;
}

export interface SendSmsInput {
  /** E.164 (`+15550100`). */
  to: string;
  text: string;
  /** One of the tenant's numbers; default the gateway's. */
  from?: string;
  interactionId?: string;
}
