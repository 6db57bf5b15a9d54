import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { phonePortBlock } from './ports.js';
import { requireBinary, run } from './processes.js';

export interface Coturn {
  /** The UDP port TURN clients talk to on 127.0.0.1. */
  port: number;
  /** coturn's log so far (sessions, allocations, per-session byte counts with -v). */
  log(): string;
  stop(): Promise<void>;
}

/**
 * Debian's coturn on 127.0.0.1 with TURN REST API credentials (`use-auth-secret`), as a
 * deployment runs it, plus `allow-loopback-peers` because here the peers are on loopback
 * too. Relay ports come from a claimed block, so parallel test files never share one.
 */
export async function startCoturn(secret: string): Promise<Coturn> {
  requireBinary('/usr/bin/turnserver');
  const block = phonePortBlock();
  const dir = mkdtempSync(path.join(tmpdir(), 'coturn-'));
  const logFile = path.join(dir, 'turn.log');
  const proc = run('/usr/bin/turnserver', [
    '-n', '--no-cli', '--no-tls', '--no-dtls', '-v', '--fingerprint',
    '-L', '127.0.0.1', '-E', '127.0.0.1', '-p', String(block), '--min-port', String(block + 1), '--max-port', String(block + 23),
    '--use-auth-secret', `--static-auth-secret=${secret}`, '-r', 'callsight.test', '--allow-loopback-peers',
    '--no-stdout-log', '-l', logFile, '--simple-log', '--pidfile', path.join(dir, 'pid'),
  ], 120_000);
  await stunAnswers(block);
  return {
    port: block,
    log: () => readFileSync(logFile, 'utf8'),
    async stop() {
      proc.kill();
      await proc.done;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Resolves once a STUN Binding request to 127.0.0.1:`port` gets an answer (coturn is up). */
function stunAnswers(port: number, timeoutMs = 10_000): Promise<void> {
  const sock = dgram.createSocket('udp4');
  const request = Buffer.concat([Buffer.from([0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42]), randomBytes(12)]);
  return new Promise<void>((resolve, reject) => {
    const retry = setInterval(() => sock.send(request, port, '127.0.0.1'), 100);
    const giveUp = setTimeout(() => finish(new Error(`coturn did not answer STUN on 127.0.0.1:${port}`)), timeoutMs);
    const finish = (err?: Error) => {
      clearInterval(retry);
      clearTimeout(giveUp);
      sock.close();
      if (err) reject(err);
      else resolve();
    };
    sock.on('message', () => finish());
    sock.send(request, port, '127.0.0.1');
  });
}
