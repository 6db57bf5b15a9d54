/** Shared fixtures for the SIP stack tests: endpoints, SDP, certificates, external tools. */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../src/core/logger.js';
import { SipEndpoint, type SipEndpointOptions } from '../../src/sip/ua/endpoint.js';

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

/** Fails (never skips) when an external peer is missing. */
export function requireBinary(path: string): void {
  if (!existsSync(path)) throw new Error(`${path} is required for this test (apt-get install ${path.split('/').pop()})`);
}

export function randomPort(): number {
  return 20000 + Math.floor(Math.random() * 30000);
}

export interface ProcResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a process with a hard timeout; resolves with its exit code and output. */
export function run(cmd: string, args: string[], timeoutMs: number, cwd?: string): { done: Promise<ProcResult>; kill: () => void } {
  const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const done = new Promise<ProcResult>((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
  return { done, kill: () => child.kill('SIGKILL') };
}

export const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));
