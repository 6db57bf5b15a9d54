import type { DeflectionAction, DeflectionTarget } from '../api/deflection.js';

/** A deflection's life on the interaction's timeline. */
export interface DeflectionRef {
  deflectionId: string;
  /** The call deflected (inbound) or the unanswered campaign call (outbound). */
  callId: string;
}

/** Deflection of calls to chat, a visual menu or a callback, and callbacks. */
export interface DeflectionEvents {
  'deflect.offered': DeflectionRef & { to: DeflectionTarget; caller: string; expiresAt: number; direction?: 'inbound' | 'outbound'; campaign?: string };
  'deflect.sms.sent': DeflectionRef & { messageId: string; to: string };
  /** The SMS could not be sent: the call continues on its normal path. */
  'deflect.sms.failed': DeflectionRef & { code: string; reason: string };
  'deflect.link.opened': DeflectionRef & { conversationId: string | null };
  'deflect.call.terminated': DeflectionRef & { cause: 'deflected' };
  'deflect.resumed': DeflectionRef & { reason: 'timeout' | 'sms_failed' };
  /** The caller picked on the visual menu or callback page: `choice` is the menu branch (digits and label), if any. */
  'deflect.chosen': DeflectionRef & { action: DeflectionAction; choice: { digits: string; label: string } | null; conversationId: string | null; callbackId: string | null };
  'callback.booked': { callbackId: string; caller: string; slotAt: number; queue: string; deflectionId: string | null };
  'callback.cancelled': { callbackId: string };
  /** The call to the customer is ringing; `callId` is the new call. */
  'callback.dialing': { callbackId: string; callId: string };
  'callback.connected': { callbackId: string; callId: string };
  'callback.failed': { callbackId: string; reason: string };
}
