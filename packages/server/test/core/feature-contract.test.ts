/**
 * Booting features (the graph itself: feature-graph.unit.test.ts): the server
 * runs a subset, refuses a missing need, keeps each feature's Fastify hooks to its own routes, and lets
 * a feature touch only the services it declared.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { conferenceFeature } from '../../src/calls/conference/conference-feature.js';
import { telephonyFeature } from '../../src/calls/telephony-feature.js';
import type { Feature } from '../../src/core/feature.js';
import { features as allFeatures } from '../../src/features.js';
import { roomsFeature } from '../../src/rooms/rooms-feature.js';
import { routingFeature } from '../../src/routing/routing-feature.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const noop = async () => {};
const codeOf = (code: string) => (err: unknown) => (err as { code?: string }).code === code;

describe('booting features', () => {
  const servers: TestServer[] = [];
  after(async () => {
    for (const s of servers) await s.destroy();
  });
  const boot = async (features: Feature[], config = {}) => {
    const s = await startTestServer({ features, config });
    servers.push(s);
    return s;
  };

  test('a subset boots: its routes answer, the others do not exist', async () => {
    const s = await boot([routingFeature]);
    assert.equal((await s.api('GET', '/api/routing/queues')).status, 401, 'routing routes are there (and guarded)');
    assert.equal((await s.api('GET', '/api/flows')).status, 404, 'telephony routes are not');
    assert.ok(s.ctx.services.get('routing'));
    assert.throws(() => s.ctx.services.get('telephony'), codeOf('service_unavailable'));
  });

  test('a missing need fails the start with the names in the message', async () => {
    await assert.rejects(startTestServer({ features: [conferenceFeature] }), (err: Error) => codeOf('feature_need_missing')(err) && /"conferences" needs "telephony"/.test(err.message));
  });

  test('a need that is off by configuration keeps its dependents off, and says why', async () => {
    const s = await boot([telephonyFeature, conferenceFeature], { sipEnabled: false });
    assert.throws(() => s.ctx.services.get('telephony'), (err: Error) => codeOf('service_unavailable')(err) && /SIP is disabled/.test(err.message));
    assert.throws(() => s.ctx.services.get('conferences'), (err: Error) => /needs telephony, which is off: SIP is disabled/.test(err.message));
    assert.equal((await s.api('GET', '/api/conferences')).status, 404, 'conference routes are not registered');
  });

  test('hooks a feature adds apply to its own routes only', async () => {
    const tagging: Feature = {
      name: 'tagging',
      async setup(_ctx, { routes }) {
        await routes.register(
          async (app) => {
            app.addHook('onSend', async (_req, reply) => void reply.header('x-tagged', 'yes'));
            app.get('/ping', { config: { auth: false } }, async () => ({ ok: true }));
          },
          { prefix: '/api/tagging' },
        );
      },
    };
    const s = await boot([tagging]);
    const own = await s.api('GET', '/api/tagging/ping');
    assert.equal(own.status, 200);
    assert.equal(own.headers.get('x-tagged'), 'yes');
    const core = await s.api('GET', '/healthz');
    assert.equal(core.status, 200);
    assert.equal(core.headers.get('x-tagged'), null, 'the hook did not leak onto the core routes');
  });

  test('a feature reaches only the services it declared, and provides only its own', async () => {
    const snooping: Feature = { name: 'snooping', async setup(ctx) { ctx.services.maybe('routing'); } };
    await assert.rejects(startTestServer({ features: [routingFeature, snooping] }), (err: Error) => codeOf('service_undeclared')(err) && /"snooping".*"routing"/.test(err.message));
    const squatting: Feature = { name: 'squatting', async setup(_ctx, { services }) { services.provide('routing', {} as never); } };
    await assert.rejects(startTestServer({ features: [squatting] }), codeOf('service_undeclared'));
    const silent: Feature = { name: 'silent', provides: ['rooms'], setup: noop };
    await assert.rejects(startTestServer({ features: [silent] }), codeOf('service_not_provided'));
  });

  test('the flow schema is built from the verbs of the features running: OpenAPI lists each, the API takes only those', async () => {
    const all = await boot([...allFeatures]);
    const doc = (await all.api('GET', '/api/openapi.json')).body;
    assert.match(JSON.stringify(doc.paths['/api/flows'].post.requestBody), /"#\/components\/schemas\/FlowVerbInput"/);
    const verbDoc = JSON.stringify(doc.components.schemas.FlowVerbInput);
    for (const verb of ['say', 'play', 'gather', 'dial', 'record', 'hangup', 'redirect', 'webhook', 'pause', 'echo', 'enqueue', 'deflect', 'room']) {
      assert.ok(verbDoc.includes(`"const":"${verb}"`), `the OpenAPI flow verb lists ${verb}`);
    }
    const some = await boot([telephonyFeature, routingFeature, roomsFeature]);
    const cookie = await some.login('admin@acme.test');
    const create = (verbs: unknown[]) => some.api('POST', '/api/flows', { cookie, body: { name: `f${Math.random().toString(36).slice(2)}`, verbs } });
    const ok = await create([{ verb: 'room', room: 'lobby' }, { verb: 'enqueue', queue: 'support' }]);
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    const refused = await create([{ verb: 'deflect' }]);
    assert.equal(refused.status, 400, 'deflection is not running here, so its verb is not valid');
  });
});
