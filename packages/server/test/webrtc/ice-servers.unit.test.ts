import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/core/config.js';
import { IceServers, turnRestCredential } from '../../src/webrtc/ice-servers.js';

const secret = 'a-shared-secret-of-some-length';
const user = { tenantId: 'ten_1', role: 'customer' as const, userId: 'usr_1', apiKeyId: null };

describe('ICE servers handed to browsers (TURN REST API credentials)', () => {
  test('the credential is base64(HMAC-SHA1(secret, "expiry:who")), as coturn use-auth-secret checks it', () => {
    const c = turnRestCredential(secret, 'usr_1', 1_800_000_000);
    assert.equal(c.username, '1800000000:usr_1');
    assert.equal(c.credential, createHmac('sha1', secret).update('1800000000:usr_1').digest('base64'));
    assert.notEqual(turnRestCredential('another-secret-entirely', 'usr_1', 1_800_000_000).credential, c.credential);
  });

  test('STUN and TURN URLs in separate entries; only TURN has credentials, expiring after the TTL', () => {
    const ice = new IceServers({ iceServers: 'stun:stun.example.com:3478, turn:turn.example.com:3478?transport=udp,turns:turn.example.com:5349?transport=tcp', turnSecret: secret, turnTtlSeconds: 3600, iceTransportPolicy: 'all' });
    const now = 1_700_000_000_500;
    const cfg = ice.for(user, now);
    assert.deepEqual(cfg.iceServers[0], { urls: ['stun:stun.example.com:3478'] });
    assert.deepEqual(cfg.iceServers[1]!.urls, ['turn:turn.example.com:3478?transport=udp', 'turns:turn.example.com:5349?transport=tcp']);
    assert.equal(cfg.iceServers[1]!.username, '1700003600:usr_1');
    assert.equal(cfg.expiresAt, 1_700_003_600_000);
    assert.equal(cfg.iceTransportPolicy, 'all');
    assert.ok(!JSON.stringify(cfg).includes(secret));
  });

  test('an API key is named by its id; nothing configured gives no servers and no expiry', () => {
    const key = { ...user, userId: null, apiKeyId: 'key_9' };
    assert.match(new IceServers({ iceServers: 'turn:t.example.com', turnSecret: secret, turnTtlSeconds: 60, iceTransportPolicy: 'all' }).for(key).iceServers[0]!.username!, /^\d+:key_9$/);
    assert.deepEqual(new IceServers({ turnTtlSeconds: 60, iceTransportPolicy: 'all' }).for(user), { iceServers: [], iceTransportPolicy: 'all', expiresAt: null });
  });

  test('config: a TURN URL without the secret, relay without TURN, or a URL that is not stun:/turn: stops the start', () => {
    assert.throws(() => loadConfig({ CALLSIGHT_ICE_SERVERS: 'turn:t.example.com:3478' }), (e: Error) => e instanceof ConfigError && /CALLSIGHT_TURN_SECRET/.test(e.message));
    assert.throws(() => loadConfig({ CALLSIGHT_ICE_SERVERS: 'stun:s.example.com', CALLSIGHT_ICE_TRANSPORT_POLICY: 'relay' }), (e: Error) => e instanceof ConfigError && /relay needs a turn/.test(e.message));
    assert.throws(() => loadConfig({ CALLSIGHT_ICE_SERVERS: 'https://t.example.com' }), (e: Error) => e instanceof ConfigError && /CALLSIGHT_ICE_SERVERS/.test(e.message));
    assert.throws(() => loadConfig({ CALLSIGHT_ICE_SERVERS: 'turn:t.example.com', CALLSIGHT_TURN_SECRET: 'short' }), (e: Error) => e instanceof ConfigError && /CALLSIGHT_TURN_SECRET/.test(e.message));
    const ok = loadConfig({ CALLSIGHT_ICE_SERVERS: 'turn:t.example.com:3478?transport=udp', CALLSIGHT_TURN_SECRET: secret, CALLSIGHT_ICE_TRANSPORT_POLICY: 'relay' });
    assert.equal(ok.turnTtlSeconds, 86400);
    assert.equal(ok.iceTransportPolicy, 'relay');
  });
});
