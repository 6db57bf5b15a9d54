import type { PendingWrapUp, Report, SuperviseMode, Supervision, Wallboard, WrapUp, WrapUpInput } from '@callsight/protocol';
import { enc, type Send } from './request.js';

/** The agent desktop (wrap-ups after calls) and the supervisor console (wallboard, monitor/whisper/barge, historical reports). */
export function deskMethods(send: Send) {
  return {
    /** Your finished calls waiting for a wrap-up. */
    wrapUps: () => send<{ items: PendingWrapUp[] }>('GET', '/api/desk/wrap-ups'),
    /** Wrap up a finished call with a code of its queue and notes; ends your wrap-up time. */
    wrapUp: (itemId: string, input: WrapUpInput) => send<WrapUp>('POST', `/api/desk/wrap-ups/${enc(itemId)}`, { body: input }),
    /** Wrap-ups given for an interaction's calls. */
    interactionWrapUps: (interactionId: string) => send<{ items: WrapUp[] }>('GET', `/api/interactions/${enc(interactionId)}/wrap-ups`),
    /** Supervisors: figures per queue or agent over [from, to) (epoch ms). */
    report: (query: { from: number; to: number; by?: 'queue' | 'agent' }) => send<Report>('GET', '/api/desk/reports', { query }),
    /** Supervisors: live queues and agents (re-read it on routing, call and desk events). */
    wallboard: () => send<Wallboard>('GET', '/api/desk/wallboard'),
    /** Supervisors: monitor, whisper or barge on a customer's call; rings your phones, joins on answer. Again to change the mode. */
    supervise: (callId: string, mode: SuperviseMode) => send<Supervision>('POST', `/api/desk/calls/${enc(callId)}/supervise`, { body: { mode } }),
    /** Supervisors: leave a call you supervise. */
    stopSupervising: (callId: string) => send<void>('DELETE', `/api/desk/calls/${enc(callId)}/supervise`),
  };
}
