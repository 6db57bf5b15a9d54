import type { Callback, CallbackState, CallRule, DeflectionStats, SendSmsInput, SmsMessage } from '@callsight/protocol';
import { enc, type Send } from './request.js';

/** SMS: send (202, delivery follows as `sms.delivered`/`sms.failed` events) and an interaction's thread. */
export function smsMethods(send: Send) {
  return {
    send: (input: SendSmsInput) => send<{ messageId: string }>('POST', '/api/sms', { body: input }),
    thread: (interactionId: string) => send<{ items: SmsMessage[] }>('GET', `/api/interactions/${enc(interactionId)}/sms`),
  };
}

/** Call deflection: a number's call-control rules and what deflection achieved. */
export function deflectionMethods(send: Send) {
  return {
    rules: (numberId: string) => send<{ rules: CallRule[] }>('GET', `/api/numbers/${enc(numberId)}/deflection-rules`),
    /** Replaces the number's rules (first match of the call's direction wins). */
    saveRules: (numberId: string, rules: CallRule[]) => send<{ rules: CallRule[] }>('PUT', `/api/numbers/${enc(numberId)}/deflection-rules`, { body: { rules } }),
    stats: (windowHours = 24) => send<{ windowHours: number; items: DeflectionStats[] }>('GET', '/api/deflection/stats', { query: { windowHours } }),
  };
}

/** Callbacks booked by callers (from a deflection page), by slot time. */
export function callbackMethods(send: Send) {
  return {
    list: (query: { state?: CallbackState } = {}) => send<{ items: Callback[] }>('GET', '/api/callbacks', { query }),
    /** Refused with 409 callback_not_cancellable once dialled. */
    cancel: (id: string) => send<Callback>('POST', `/api/callbacks/${enc(id)}/cancel`),
  };
}
