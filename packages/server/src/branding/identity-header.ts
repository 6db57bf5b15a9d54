import { VerificationError } from './branding-errors.js';

/**
 * The SIP Identity header (RFC 8224 §4.1):
 *   Identity: <jws>;info=<https://cert.example.org/cert.pem>;alg=ES256;ppt="shaken"
 * `info` is the certificate URL (same as the PASSporT x5u), in angle brackets.
 */
export interface IdentityHeader {
  token: string;
  info: string;
  alg?: string;
  ppt?: string;
}

export function formatIdentityHeader(h: IdentityHeader): string {
  return `${h.token};info=<${h.info}>;alg=${h.alg ?? 'ES256'};ppt="${h.ppt ?? 'shaken'}"`;
}

/**
 * Parses one header value. Parameters may come in any order and with quoted
 * values; `info` is mandatory (RFC 8224 §4.1: "MUST contain an info parameter").
 */
export function parseIdentityHeader(value: string): IdentityHeader {
  const trimmed = value.trim();
  const semi = trimmed.indexOf(';');
  const token = (semi < 0 ? trimmed : trimmed.slice(0, semi)).trim();
  if (!token) throw new VerificationError('identity_malformed', 'Identity header has no token');
  const params: Record<string, string> = {};
  const rest = semi < 0 ? '' : trimmed.slice(semi + 1);
  // info=<…> may itself hold ';' in its URL, so match parameters with a regex rather than split.
  const PARAM = /\s*([A-Za-z0-9.!%*_+`'~-]+)\s*(?:=\s*(<[^>]*>|"(?:[^"\\]|\\.)*"|[^;\s]*))?\s*(?:;|$)/y;
  let at = 0;
  while (at < rest.length) {
    PARAM.lastIndex = at;
    const m = PARAM.exec(rest);
    if (!m || m[0].length === 0) throw new VerificationError('identity_malformed', 'Identity header parameters are malformed');
    const raw = m[2] ?? '';
    params[m[1]!.toLowerCase()] = raw.startsWith('<') || raw.startsWith('"') ? raw.slice(1, -1) : raw;
    at = PARAM.lastIndex;
  }
  if (!params.info) throw new VerificationError('identity_malformed', 'Identity header lacks info=<certificate URL>');
  return { token, info: params.info, alg: params.alg, ppt: params.ppt };
}
