import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { LoginThrottle } from '../../src/auth/login-throttle.js';
import { Store } from '../../src/store/store.js';

let store: Store;
let dir: string;
before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'callsight-throttle-'));
  store = await Store.open({ dataDir: dir });
  await store.migrate();
});
after(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

test('the block doubles with each failure past the limit, up to 15 minutes, and failures are forgiven after 15 quiet minutes', async () => {
  let now = 1_000_000_000;
  const t = new LoginThrottle(store, 3, () => now);
  const waits: number[] = [];
  for (let i = 0; i < 9; i++) {
    await t.fail('a@x.test', '192.0.2.1', null);
    waits.push(await t.retryAfter('a@x.test', '192.0.2.1'));
    now += waits[i];
  }
  assert.deepEqual(waits, [0, 0, 30_000, 60_000, 120_000, 240_000, 480_000, 900_000, 900_000]);
  assert.equal(await t.retryAfter('a@x.test', '192.0.2.2'), 0, 'another address is not blocked');
  now += 16 * 60_000;
  await t.fail('a@x.test', '192.0.2.1', null);
  assert.equal(await t.retryAfter('a@x.test', '192.0.2.1'), 0, 'counting starts over');
  const rows = await store.db.selectFrom('login_throttles').selectAll().where('address', '=', '192.0.2.1').execute();
  assert.deepEqual(rows.map((r) => [r.account, r.failures]).sort(), [['*', 1], ['a@x.test', 1]], 'forgiven counts were removed, not kept');
});

test('one address failing across many accounts is braked after ten times the per-account limit', async () => {
  const now = 2_000_000_000;
  const t = new LoginThrottle(store, 2, () => now);
  for (let i = 0; i < 20; i++) await t.fail(`user${i}@x.test`, '198.51.100.1', null);
  assert.ok((await t.retryAfter('fresh@x.test', '198.51.100.1')) > 0);
  assert.equal(await t.retryAfter('fresh@x.test', '198.51.100.2'), 0);
});
