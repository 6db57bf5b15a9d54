/**
 * @callsight/protocol: the wire types of callsight, one source for the server, the
 * SDK and the web apps. No dependencies and almost no code: event payloads, REST
 * DTOs, WebSocket messages, the card rules both sides run, the call-metadata layout.
 */
export * from './api/core.js';
export * from './api/calls.js';
export * from './api/telephony.js';
export * from './api/routing.js';
export * from './api/sms.js';
export * from './api/deflection.js';
export * from './api/branding.js';
export * from './api/rooms.js';
export * from './api/access.js';
export * from './api/cards.js';
export * from './api/rules.js';
export * from './api/rules-describe.js';
export * from './api/emergency.js';
export * from './emergency/device-signals.js';
export * from './emergency/simulated-batches.js';
export * from './api/desk.js';
export * from './api/rewards.js';
export * from './cards/card-rules.js';
export * from './api/vault.js';
export * from './vault/card-number.js';
export * from './call-metadata.js';
export * from './events/event-map.js';
export type { CoreEvents } from './events/core-events.js';
export type { AccessEvents, DialRefusalCode, DialVia } from './events/access-events.js';
export type { CallEvents } from './events/call-events.js';
export type { RoutingEvents, RoutingItemEvent } from './events/routing-events.js';
export type { RoomEvents } from './events/room-events.js';
export type { DeflectionEvents, DeflectionRef } from './events/deflection-events.js';
export type { BrandingEvents } from './events/branding-events.js';
export type { ConfirmEvents, CardAnsweredEvent } from './events/confirm-events.js';
export type { SmsEvents } from './events/sms-events.js';
export type { RulesEvents } from './events/rules-events.js';
export type { EmergencyEvents } from './events/emergency-events.js';
export type { VaultEvents } from './events/vault-events.js';
export type { DeskEvents } from './events/desk-events.js';
export type { RewardEvents } from './events/reward-events.js';
export * from './ws/core-messages.js';
export * from './ws/rtc-messages.js';
export * from './ws/phone-messages.js';
export * from './ws/room-messages.js';
export * from './ws/room-layout-messages.js';
export * from './ws/card-messages.js';
export * from './ws/messages.js';
export * from './api/conversations.js';
export type { ConversationEvents } from './events/conversation-events.js';
export * from './ws/conversation-messages.js';
export * from './csv.js';
