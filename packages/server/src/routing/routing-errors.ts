import { CallsightError, badRequest, conflict, notFound } from '../core/errors.js';

/** Routing's stable error codes (part of the public API). */
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
