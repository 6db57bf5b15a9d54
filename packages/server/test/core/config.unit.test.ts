import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/core/config.js';

test('defaults: port 3000, ./data, SQLite, in-process bus', () => {
  const c = loadConfig({});
  assert.equal(c.httpPort, 3000);
  assert.match(c.dataDir, /\/data$/);
  assert.equal(c.databaseUrl, undefined);
  assert.equal(c.natsUrl, undefined);
  assert.equal(c.seedDemo, true);
});

test('env vars are read and coerced', () => {
  const c = loadConfig({
    CALLSIGHT_HTTP_PORT: '4100',
    CALLSIGHT_DATABASE_URL: 'postgres://127.0.0.1:5432/test',
    CALLSIGHT_NATS_URL: 'nats://127.0.0.1:4222',
    CALLSIGHT_SEED_DEMO: 'false',
  });
  assert.equal(c.httpPort, 4100);
  assert.equal(c.databaseUrl, 'postgres://127.0.0.1:5432/test');
  assert.equal(c.seedDemo, false);
});

test('bad values stop the start with a message naming each variable', () => {
  assert.throws(
    () => loadConfig({ CALLSIGHT_HTTP_PORT: 'eighty', CALLSIGHT_DATABASE_URL: 'mysql://x', CALLSIGHT_LOG_LEVEL: 'loud' }),
    (err: Error) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, /CALLSIGHT_HTTP_PORT/);
      assert.match(err.message, /CALLSIGHT_DATABASE_URL: must start with postgres/);
      assert.match(err.message, /CALLSIGHT_LOG_LEVEL/);
      return true;
    },
  );
  assert.throws(() => loadConfig({ CALLSIGHT_HTTP_PORT: '70000' }), /CALLSIGHT_HTTP_PORT/);
});

test('production never seeds the demo tenant with the well-known password', () => {
  assert.equal(loadConfig({ NODE_ENV: 'production' }).seedDemo, false);
  assert.equal(loadConfig({ NODE_ENV: 'production', CALLSIGHT_DEMO_PASSWORD: 'demo' }).seedDemo, false);
  assert.equal(loadConfig({ NODE_ENV: 'production', CALLSIGHT_DEMO_PASSWORD: 'long-unique-pass' }).seedDemo, true);
});

test('a TLS or WSS port without the certificate stops the start', () => {
  assert.throws(() => loadConfig({ CALLSIGHT_SIP_WSS_PORT: '5063' }), /CALLSIGHT_SIP_WSS_PORT: needs CALLSIGHT_SIP_TLS_CERT/);
  assert.throws(() => loadConfig({ CALLSIGHT_SIP_TLS_PORT: '5061', CALLSIGHT_SIP_TLS_CERT: '/c.pem' }), /CALLSIGHT_SIP_TLS_PORT/);
  assert.equal(loadConfig({ CALLSIGHT_SIP_WSS_PORT: '5063', CALLSIGHT_SIP_TLS_CERT: '/c.pem', CALLSIGHT_SIP_TLS_KEY: '/k.pem' }).sipWssPort, 5063);
  assert.equal(loadConfig({ CALLSIGHT_SIP_MAX_TRANSACTIONS: '5000' }).sipMaxTransactions, 5000);
  assert.throws(() => loadConfig({ CALLSIGHT_SIP_MAX_TRANSACTIONS: '10' }), /CALLSIGHT_SIP_MAX_TRANSACTIONS/);
});

test('SIP trusted peers: loopback outside production, none in production, a bad entry stops the start', () => {
  assert.equal(loadConfig({}).sipTrustedPeers, '127.0.0.0/8,::1');
  assert.equal(loadConfig({ NODE_ENV: 'production' }).sipTrustedPeers, '');
  assert.equal(loadConfig({ NODE_ENV: 'production', CALLSIGHT_SIP_TRUSTED_PEERS: '192.0.2.10,10.1.0.0/16,2001:db8::/32' }).sipTrustedPeers, '192.0.2.10,10.1.0.0/16,2001:db8::/32');
  for (const bad of ['carrier.example', '10.0.0.0/33', '192.0.2.1/8/2', '::1/129']) {
    assert.throws(() => loadConfig({ CALLSIGHT_SIP_TRUSTED_PEERS: bad }), /CALLSIGHT_SIP_TRUSTED_PEERS: must be comma-separated IP addresses or CIDRs/, bad);
  }
});
