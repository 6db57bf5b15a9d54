import type { CardClientMessage, CardServerMessage } from './card-messages.js';
import type { CoreClientMessage, CoreServerMessage } from './core-messages.js';
import type { PhoneClientMessage, PhoneServerMessage } from './phone-messages.js';
import type { RoomClientMessage, RoomServerMessage } from './room-messages.js';
import type { ConversationPushMessage } from './conversation-messages.js';
import type { RoomLayoutClientMessage, RoomLayoutServerMessage } from './room-layout-messages.js';
import type { RtcClientMessage, RtcServerMessage } from './rtc-messages.js';

/** Every message a client may send on /api/ws. */
export type ClientMessage = CoreClientMessage | RtcClientMessage | PhoneClientMessage | RoomClientMessage | CardClientMessage | RoomLayoutClientMessage;

/** Every message the server sends on /api/ws, narrowed by `kind`. */
export type ServerMessage = CoreServerMessage | RtcServerMessage | PhoneServerMessage | RoomServerMessage | CardServerMessage | ConversationPushMessage | RoomLayoutServerMessage;

export type ServerMessageKind = ServerMessage['kind'];
/** The message of one kind: `MessageOf<'room.joined'>`. */
export type MessageOf<K extends ServerMessageKind> = Extract<ServerMessage, { kind: K }>;
