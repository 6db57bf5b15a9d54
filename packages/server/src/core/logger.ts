import pino, { type Logger } from 'pino';

/**
 * Paths pino blanks out. Anything that may carry a secret (session cookies, API
 * keys, passwords, card numbers, webhook secrets) is listed so it never reaches a log.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.passwordHash',
  '*.secret',
  '*.turnSecret',
  '*.credential',
  '*.token',
  '*.apiKey',
  '*.key',
  '*.pan',
  '*.cardNumber',
  '*.cvv',
  'password',
  'secret',
  'turnSecret',
  'credential',
  'token',
  'pan',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: { service: 'callsight' },
    },
    destination,
  );
}

export type { Logger };
