/** The SIP user-agent API (transports, transactions and dialogs underneath). */
export { SipEndpoint, type SipEndpointOptions, type SipEndpointEvents, type OutOfDialogRequestOptions } from './endpoint.js';
export type { IncomingRequest } from './incoming-request.js';
export type { IncomingInvite, AnswerOptions } from './incoming-invite.js';
export type { OutgoingInvite, InviteOptions, InviteRetry } from './outgoing-invite.js';
export { Registration, type RegisterOptions } from './registration.js';
export { Registrar, canonicalAor, type RegistrarOptions, type RegistrarResult, type CredentialsLookup } from './registrar.js';
export { InMemoryRegistrationStore, type RegistrationStore, type RegistrationBinding } from './registration-store.js';
export { SipFailure } from './failure.js';
export { RequestAuthenticator, type RequestAuthOptions, type RequestAuthVerdict } from './request-auth.js';
export { flowUri, type FlowSource, type TransportKind } from '../transport/flow.js';
export { Dialog, type TerminationInfo, type DialogEvents } from '../dialog/dialog.js';
export { withDirection, directionOf, answerDirection } from '../dialog/hold.js';
export { parseReferTo, parseSipfragStatus } from '../dialog/refer.js';
export { parseReplaces, type ReplacesValue } from '../dialog/replaces.js';
