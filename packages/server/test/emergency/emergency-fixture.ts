import assert from 'node:assert/strict';
import type { DeviceBatch, GnssFix } from '@callsight/protocol';
import { crashSignal } from '../../../protocol/src/emergency/device-signals.js';
import type { TestServer } from '../helpers/test-server.js';

/** A crash batch as a car would send it, timed now: ten seconds of driving, the crash, ten seconds still. */
export function crashBatch(lat = 48.8584, lon = 2.2945): DeviceBatch & { gnss: GnssFix[] } {
  const s = crashSignal({ start: Date.now() - 21_000, lat, lon, accuracy: 6 });
  return { motion: { start: s.start, rate: s.rate, accel: s.accel }, gnss: s.gnss, deviceInfo: { manufacturer: 'Acme Motors', model: 'Roadster', imei: '490154203237518' }, battery: 80 };
}

/** Tenant settings merged into the current ones, and a car of the demo customer calling `psaps` (its key shown once). */
export async function setupDevice(s: TestServer, admin: string, psaps: string[], settings: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const users = (await s.api('GET', '/api/users', { cookie: admin })).body.items as { id: string; email: string; name: string }[];
  const owner = users.find((u) => u.email === 'customer@acme.test')!;
  const current = (await s.api('GET', '/api/emergency/settings', { cookie: admin })).body;
  const put = await s.api('PUT', '/api/emergency/settings', { cookie: admin, body: { ...current, ...settings } });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  const created = await s.api('POST', '/api/devices', {
    cookie: admin,
    body: { name: 'Family car', kind: 'car', ownerUserId: owner.id, psaps, contacts: [{ name: 'Sam', phone: '+33612345678' }], callbackNumber: '+15550142', ...extra },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return { owner, device: created.body.device as { id: string; keyPrefix: string }, key: created.body.key as string };
}

