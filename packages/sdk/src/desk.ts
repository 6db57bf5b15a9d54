import type { Consult, ConsultMode, PendingWrapUp, ReassignInput, Report, SuperviseMode, Supervision, Wallboard, WrapUp, WrapUpInput } from '@callsight/protocol';
import { enc, type Send } from './request.js';

/** The agent desktop (wrap-ups after calls) and the supervisor console (wallboard, monitor/whisper/barge, historical reports), and consult transfers and conferences. */
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
    /**
     * The agent on a customer's call (or a supervisor): hold the customer and ring an agent
     * (`user:<id>`), whoever a queue finds (`queue:<id>`) or a number to consult first; with
     * mode `conference` add them instead (all three talk once they answer).
     */
    consult: (callId: string, to: string, mode?: ConsultMode) => send<Consult>('POST', `/api/desk/calls/${enc(callId)}/consult`, { body: mode ? { to, mode } : { to } }),
    /** Blind transfer: to a queue (`queue:<id>`) your call ends at once and the caller waits for its next agent; to an agent or number on their answer. */
    transfer: (callId: string, to: string) => send<void>('POST', `/api/desk/calls/${enc(callId)}/transfer`, { body: { to } }),
    /** Supervisors: move a work item to another agent (`{ agentId }`) or queue (`{ queueId }`); a live call leaves its agent. */
    reassign: (itemId: string, to: ReassignInput) => send<void>('POST', `/api/desk/items/${enc(itemId)}/reassign`, { body: to }),
    /** The consult under way on a customer's call, if any. */
    getConsult: (callId: string) => send<{ consult: Consult | null }>('GET', `/api/desk/calls/${enc(callId)}/consult`),
    /** All three hear each other (the consulted party answered). */
    conference: (callId: string) => send<Consult>('POST', `/api/desk/calls/${enc(callId)}/consult/conference`),
    /** Hand the customer to the consulted party; your call ends. */
    completeTransfer: (callId: string) => send<void>('POST', `/api/desk/calls/${enc(callId)}/consult/complete`),
    /** Hang up the consulted party and go back to the customer. */
    cancelConsult: (callId: string) => send<void>('DELETE', `/api/desk/calls/${enc(callId)}/consult`),
  };
}
