import type { VaultAuditPage, VaultAuditQuery, CaptureRecord, StartCaptureInput, SaveCardInput, SpeakCardInput, SpeakResult, VaultCard, VaultKeyStatus, VaultSpeakRecord } from '@callsight/protocol';
import { enc, type Send } from './request.js';

/** The `client.vault` methods: saved payment cards (brand and last 4 only) and reading one into a live call. */
export function vaultMethods(send: Send) {
  return {
    /** Customers: save a card. The number is sealed on the server and never comes back. */
    save: (input: SaveCardInput) => send<VaultCard>('POST', '/api/vault/cards', { body: input }),
    list: (query: { customerId?: string; includeRevoked?: boolean } = {}) =>
      send<{ items: VaultCard[] }>('GET', '/api/vault/cards', { query: { customerId: query.customerId, includeRevoked: query.includeRevoked === undefined ? undefined : String(query.includeRevoked) } }),
    get: (token: string) => send<VaultCard>('GET', `/api/vault/cards/${enc(token)}`),
    revoke: (token: string) => send<VaultCard>('DELETE', `/api/vault/cards/${enc(token)}`),
    /** Customers: read the card into their live call; resolves once the audio starts. */
    speak: (token: string, input: SpeakCardInput) => send<SpeakResult>('POST', `/api/vault/cards/${enc(token)}/speak`, { body: input }),
    /** Agents: hear the last group of a card read into their call again. */
    repeatLastGroup: (speakId: string) => send<SpeakResult>('POST', `/api/vault/speaks/${enc(speakId)}/repeat`),
    /** Supervisors: who read which card into which call. */
    speaks: (query: { limit?: number } = {}) => send<{ items: VaultSpeakRecord[] }>('GET', '/api/vault/speaks', { query }),
    /** Agents: collect a card on the customer's keypad (the agent hears flat tones; progress comes as vault.capture.progress events). */
    startCapture: (input: StartCaptureInput) => send<CaptureRecord>('POST', '/api/vault/captures', { body: input }),
    capture: (id: string) => send<CaptureRecord>('GET', `/api/vault/captures/${enc(id)}`),
    cancelCapture: (id: string) => send<CaptureRecord>('POST', `/api/vault/captures/${enc(id)}/cancel`),
    /** Supervisors: every keypad capture, with its result, brand and last 4. */
    captures: (query: { limit?: number } = {}) => send<{ items: CaptureRecord[] }>('GET', '/api/vault/captures', { query }),
    /** Supervisors: the vault audit (saved, removed, read, keyed, rotated), newest first; pass `nextCursor` back as `cursor` for older entries. */
    audit: (query: VaultAuditQuery = {}) => send<VaultAuditPage>('GET', '/api/vault/audit', { query: { ...query } }),
    keys: () => send<VaultKeyStatus>('GET', '/api/vault/keys'),
    rotateKeys: (input: { retire?: boolean } = {}) => send<{ version: number; rewrapped: number; minDecryptionVersion: number }>('POST', '/api/vault/keys/rotate', { body: input }),
  };
}
