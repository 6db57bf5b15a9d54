import type { FlowVerb } from './calls.js';

/** Telephony configuration: flows, numbers, SIP accounts and trunks. */

export interface Flow {
  id: string;
  name: string;
  verbs: unknown[];
  createdAt: number;
  updatedAt: number;
}

export interface FlowInput {
  /** Lower-case letters, digits, - and _. */
  name: string;
  verbs: FlowVerb[];
}

export interface PhoneNumber {
  id: string;
  number: string;
  flowId: string | null;
  userId: string | null;
  trunkId: string | null;
  createdAt: number;
}

/** Where a number routes: a flow or a user; calls out from it may use a trunk. */
export interface NumberRoute {
  flowId?: string | null;
  userId?: string | null;
  trunkId?: string | null;
}

/**
 * SDES-SRTP (RFC 4568) for a phone or carrier: `off` plain RTP only; `optional` SRTP when
 * the peer asks for it (RTP/SAVP or a=crypto), plain RTP in our offers; `required` SRTP
 * only, in our offers too (RTP/SAVP).
 */
export type SrtpPolicy = 'off' | 'optional' | 'required';

export interface SipAccount {
  id: string;
  username: string;
  userId: string | null;
  srtp: SrtpPolicy;
  createdAt: number;
  /** Contact URIs of the account's current registrations. */
  registered: string[];
}

export interface CreateSipAccountInput {
  username: string;
  password: string;
  userId?: string;
  /** Default `optional`. */
  srtp?: SrtpPolicy;
}

export interface UpdateSipAccountInput {
  password?: string;
  /** Who the account rings as; null for none. */
  userId?: string | null;
  srtp?: SrtpPolicy;
}

/** Where phones register: the host and each transport's port. */
export interface SipServer {
  host: string;
  transports: { transport: 'udp' | 'tcp' | 'tls' | 'ws' | 'wss'; port: number }[];
}

export interface Trunk {
  id: string;
  name: string;
  address: string;
  username: string | null;
  register: boolean;
  srtp: SrtpPolicy;
  createdAt: number;
}

export interface CreateTrunkInput {
  name: string;
  /** `sip:` or `sips:` URI of the carrier proxy. */
  address: string;
  username?: string;
  password?: string;
  /** Register with the carrier (needs username and password). */
  register?: boolean;
  /** Default `optional`. */
  srtp?: SrtpPolicy;
}

/** A trunk change: absent fields stay; `null` clears the username or password. */
export interface UpdateTrunkInput {
  name?: string;
  address?: string;
  username?: string | null;
  password?: string | null;
  register?: boolean;
  srtp?: SrtpPolicy;
}
