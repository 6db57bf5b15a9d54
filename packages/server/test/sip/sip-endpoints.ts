/** Shared fixtures for the SIP stack tests: endpoints, SDP, certificates, external tools. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../src/core/logger.js';
import { SipEndpoint, type SipEndpointOptions } from '../../src/sip/ua/endpoint.js';

export { requireBinary, run, type ProcResult } from '../helpers/processes.js';

export const log = createLogger(process.env.SIP_TEST_LOG ?? 'silent');

/** Small timers so timeouts and retransmissions happen within a test. */
export const FAST_TIMERS = { T1: 50, T2: 400, T4: 500 };

export function startEndpoint(extra: Partial<SipEndpointOptions> = {}): Promise<SipEndpoint> {
  return SipEndpoint.start({ bindHost: '127.0.0.1', port: 0, publicHost: '127.0.0.1', log, timers: FAST_TIMERS, ...extra });
}

let sdpVersion = 1;
export function sdp(port = 40000, direction = 'sendrecv'): string {
  return [
    'v=0',
    `o=- 1000 ${sdpVersion++} IN IP4 127.0.0.1`,
    's=-',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    `m=audio ${port} RTP/AVP 0 101`,
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:101 telephone-event/8000',
    `a=${direction}`,
    '',
  ].join('\r\n');
}

/** A self-signed certificate for 127.0.0.1 made by openssl. */
export function selfSignedCert(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'callsight-tls-'));
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
  ], { stdio: 'ignore' });
  return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
}

export { peerPort as randomPort } from '../helpers/ports.js';

export const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));
