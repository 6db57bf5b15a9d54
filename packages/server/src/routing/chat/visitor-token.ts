import type { SecretBox } from '../../core/secret-box.js';
import { CallsightError } from '../../core/errors.js';

/** Who may write to a conversation without a user session: the web-chat visitor (or a customer, via the same widget). */
export interface VisitorClaims {
  tenantId: string;
  conversationId: string;
  /** Set when a logged-in customer started the chat. */
  customerId: string | null;
  name: string;
  exp: number;
}

const AAD = 'chat-visitor-v1';
export const VISITOR_TOKEN_TTL_MS = 12 * 3600_000;

/**
 * The token is the claims sealed with the server's master key (AES-GCM): it is
 * both signed and opaque, and every process sharing the key accepts it, so a
 * visitor's socket may land on any of them.
 */
export function issueVisitorToken(box: SecretBox, claims: Omit<VisitorClaims, 'exp'>, now = Date.now()): string {
  return box.seal(JSON.stringify({ ...claims, exp: now + VISITOR_TOKEN_TTL_MS }), AAD);
}

export function readVisitorToken(box: SecretBox, token: string, now = Date.now()): VisitorClaims {
  let claims: VisitorClaims;
  try {
    claims = JSON.parse(box.open(token, AAD)) as VisitorClaims;
  } catch {
    throw new CallsightError('invalid_visitor_token', 'Chat session token is invalid', { status: 401 });
  }
  if (!(claims.exp > now)) throw new CallsightError('visitor_token_expired', 'Chat session expired: start a new chat', { status: 401 });
  return claims;
}
