import type { CreateSipAccountInput, CreateTrunkInput, Flow, FlowInput, NumberRoute, PhoneNumber, SipAccount, SipServer, Trunk, UpdateSipAccountInput, UpdateTrunkInput } from '@callsight/protocol';
import { enc, type Send } from './request.js';

/** Flows: verb lists a call runs (`client.flows.create({name, verbs})`). */
export function flowMethods(send: Send) {
  return {
    list: () => send<{ items: Flow[] }>('GET', '/api/flows'),
    get: (id: string) => send<Flow>('GET', `/api/flows/${enc(id)}`),
    create: (input: FlowInput) => send<Flow>('POST', '/api/flows', { body: input }),
    update: (id: string, input: FlowInput) => send<Flow>('PUT', `/api/flows/${enc(id)}`, { body: input }),
    /** Refused with 409 while a number routes to it. */
    remove: (id: string) => send<void>('DELETE', `/api/flows/${enc(id)}`),
  };
}

/** Numbers (DIDs, extensions, SIP user names) and where they route. */
export function numberMethods(send: Send) {
  return {
    list: () => send<{ items: PhoneNumber[] }>('GET', '/api/numbers'),
    create: (input: { number: string } & NumberRoute) => send<PhoneNumber>('POST', '/api/numbers', { body: input }),
    /** Changes where the number routes. */
    route: (id: string, route: NumberRoute) => send<PhoneNumber>('PATCH', `/api/numbers/${enc(id)}`, { body: route }),
    remove: (id: string) => send<void>('DELETE', `/api/numbers/${enc(id)}`),
  };
}

/** SIP accounts for desk phones and softphones; `registered` lists their current contacts. */
export function sipAccountMethods(send: Send) {
  return {
    list: () => send<{ items: SipAccount[] }>('GET', '/api/sip/accounts'),
    create: (input: CreateSipAccountInput) => send<SipAccount>('POST', '/api/sip/accounts', { body: input }),
    update: (id: string, input: UpdateSipAccountInput) => send<SipAccount>('PATCH', `/api/sip/accounts/${enc(id)}`, { body: input }),
    /** Drops its registrations at once. */
    remove: (id: string) => send<void>('DELETE', `/api/sip/accounts/${enc(id)}`),
    /** Where phones register: the SIP server's host and each transport's port. */
    server: () => send<SipServer>('GET', '/api/sip/server'),
  };
}

/** SIP trunks: numbers that are not callsight's are called through them. */
export function trunkMethods(send: Send) {
  return {
    list: () => send<{ items: Trunk[] }>('GET', '/api/sip/trunks'),
    create: (input: CreateTrunkInput) => send<Trunk>('POST', '/api/sip/trunks', { body: input }),
    /** Registration left without a username and password is refused (400). */
    update: (id: string, input: UpdateTrunkInput) => send<Trunk>('PATCH', `/api/sip/trunks/${enc(id)}`, { body: input }),
    remove: (id: string) => send<void>('DELETE', `/api/sip/trunks/${enc(id)}`),
  };
}
