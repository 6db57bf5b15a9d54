/** A deflection's life on the interaction's timeline. */
interface DeflectionRef {
  deflectionId: string;
  callId: string;
}

declare module '../bus/event-map.js' {
  interface EventMap {
    'deflect.offered': DeflectionRef & { to: 'chat'; caller: string; expiresAt: number };
    'deflect.sms.sent': DeflectionRef & { messageId: string; to: string };
    /** The SMS could not be sent: the call continues on its normal path. */
    'deflect.sms.failed': DeflectionRef & { code: string; reason: string };
    'deflect.link.opened': DeflectionRef & { conversationId: string | null };
    'deflect.call.terminated': DeflectionRef & { cause: 'deflected' };
    'deflect.resumed': DeflectionRef & { reason: 'timeout' | 'sms_failed' };
  }
}

export {};
