import type { Call, CallQuery, Conference, MyCall, OriginateInput, Page, Recording, RecordingMode } from '@callsight/protocol';
import { enc, type Send } from './request.js';

/**
 * Calls through the REST API: originate, control a live call, list, recordings,
 * and the signed-in person's own history. A browser's own media leg is the `Phone`;
 * these methods act on any call of the tenant (staff) or list your own (everyone).
 */
export function callMethods(send: Send) {
  const act = (id: string, action: string, body: unknown = {}) => send<Call>('POST', `/api/calls/${enc(id)}/${action}`, { body });
  return {
    originate: (input: OriginateInput) => send<Call>('POST', '/api/calls', { body: input }),
    /** Search and page: `list({ q: '+1555', outcome: 'unanswered' })`, then `list({ ...query, cursor: page.nextCursor })`. */
    list: (query: CallQuery = {}) => send<Page<Call>>('GET', '/api/calls', { query: { ...query } }),
    get: (id: string) => send<Call>('GET', `/api/calls/${enc(id)}`),
    /** Your own calls, newest first (any signed-in user). */
    mine: (query: { before?: string; limit?: number } = {}) => send<Page<MyCall>>('GET', '/api/me/calls', { query }),
    answer: (id: string) => act(id, 'answer'),
    hangup: (id: string, cause?: string) => act(id, 'hangup', cause ? { cause } : {}),
    hold: (id: string) => act(id, 'hold'),
    resume: (id: string) => act(id, 'resume'),
    say: (id: string, text: string, voice?: string) => act(id, 'say', { text, ...(voice ? { voice } : {}) }),
    play: (id: string, url: string) => act(id, 'play', { url }),
    dtmf: (id: string, digits: string) => act(id, 'dtmf', { digits }),
    record: (id: string, mode: RecordingMode = 'mixed') => act(id, 'record', { mode }),
    stopRecording: (id: string) => act(id, 'record/stop'),
    bridge: (id: string, otherCallId: string) => act(id, 'bridge', { callId: otherCallId }),
    transfer: (id: string, to: string) => act(id, 'transfer', { to }),
    recordings: (id: string) => send<{ items: Recording[] }>('GET', `/api/calls/${enc(id)}/recordings`),
    /** Conference rooms of live calls, by name. */
    conference: (name: string) => send<Conference>('GET', `/api/conferences/${enc(name)}`),
  };
}
