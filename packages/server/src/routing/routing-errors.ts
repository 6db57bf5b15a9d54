import type { ErrorSpecs } from '../core/error-spec.js';
import { CallsightError, badRequest, conflict, notFound } from '../core/errors.js';

/** Codes of routing: queues, skills, work items and offers, agents, web chat (part of the public API). */
export const ROUTING_ERRORS = {
  unknown_queue: { status: 400, title: 'No such queue in this tenant' },
  unknown_skill: { status: 400, title: 'Unknown skill: create it first' },
  unknown_interaction: { status: 400, title: 'No such interaction in this tenant' },
  unknown_wrap_up_code: { status: 400, title: "Not one of the queue's wrap-up codes" },
  channel_not_served: { status: 400, title: 'The queue does not take this channel' },
  not_an_agent: { status: 400, title: 'Routing is for agents and supervisors' },
  offer_expired: { status: 409, title: 'The offer expired before it was accepted' },
  offer_not_yours: { status: 409, title: 'This item is offered to another agent' },
  offer_not_pending: { status: 409, title: 'The item is not offered' },
  item_not_yours: { status: 409, title: 'This item is held by another agent' },
  item_closed: { status: 409, title: 'The item is already closed' },
  agent_at_capacity: { status: 409, title: 'The agent cannot take this item now' },
  routing_busy: { status: 409, title: 'The item changed at the same time: retry' },
  queue_name_taken: { status: 409, title: 'A queue with this name exists' },
  skill_name_taken: { status: 409, title: 'A skill with this name exists' },
  user_session_required: { status: 400, title: 'This is done by a person: use a user session, not an API key' },
  customer_session_required: { status: 400, title: 'Only a signed-in customer starts a chat this way' },
  unknown_tenant: { status: 400, title: 'No such tenant' },
  invalid_visitor_token: { status: 401, title: 'The chat visitor token is not valid' },
  visitor_token_expired: { status: 401, title: 'The chat visitor token has expired' },
  chat_closed: { status: 409, title: 'This chat has ended' },
  chat_not_yours: { status: 409, title: 'This chat is held by another agent' },
} as const satisfies ErrorSpecs;


/** Routing's errors, built with the codes above. */
export const routingErrors = {
  itemNotFound: () => notFound('Work item'),
  unknownQueue: (ref: string) => badRequest('unknown_queue', `No queue ${ref} in this tenant`),
  unknownSkill: (names: string[]) => badRequest('unknown_skill', `Unknown skill ${names.join(', ')}: create it first`),
  unknownInteraction: (id: string) => badRequest('unknown_interaction', `No interaction ${id} in this tenant`),
  unknownWrapUpCode: (code: string, allowed: string[]) =>
    badRequest('unknown_wrap_up_code', `Wrap-up code ${code} is not one of the queue's: ${allowed.join(', ') || 'none defined'}`),
  channelNotServed: (channel: string, queue: string) => badRequest('channel_not_served', `Queue ${queue} does not take ${channel}`),
  notAnAgent: () => badRequest('not_an_agent', 'Routing is for users with the agent or supervisor role'),
  offerExpired: () => conflict('offer_expired', 'The offer expired before it was accepted'),
  offerNotYours: () => conflict('offer_not_yours', 'This item is offered to another agent'),
  notOffered: (state: string) => conflict('offer_not_pending', `The item is ${state}, not offered`),
  notYours: () => conflict('item_not_yours', 'This item is held by another agent'),
  closed: (state: string) => conflict('item_closed', `The item is already ${state}`),
  atCapacity: () => conflict('agent_at_capacity', 'The agent cannot take this item now (presence or capacity)'),
  busy: () => new CallsightError('routing_busy', 'The item changed concurrently; retry', { status: 409 }),
  queueNameTaken: (name: string) => conflict('queue_name_taken', `A queue named ${name} exists`),
  skillNameTaken: (name: string) => conflict('skill_name_taken', `A skill named ${name} exists`),
};
