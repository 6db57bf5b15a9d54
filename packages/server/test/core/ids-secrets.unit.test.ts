import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ID_PATTERN, newId } from '../../src/core/ids.js';
import { createLogger } from '../../src/core/logger.js';
import { SecretBox } from '../../src/core/secret-box.js';
import { hashPassword, verifyPassword } from '../../src/core/secrets.js';

test('ids are prefixed, well-formed and sort in creation order even within one millisecond', () => {
  const ids = Array.from({ length: 2000 }, () => newId('call'));
  for (const id of ids) assert.match(id, ID_PATTERN);
  assert.deepEqual([...ids].sort(), ids);
  assert.equal(new Set(ids).size, ids.length);
  assert.ok(newId('a', 1000) < newId('a', 2000));
});

test('passwords: scrypt hash verifies the right password only', async () => {
  const hash = await hashPassword('correct horse');
  assert.match(hash, /^scrypt\$16384\$8\$1\$/);
  assert.equal(await verifyPassword('correct horse', hash), true);
  assert.equal(await verifyPassword('wrong horse', hash), false);
  assert.equal(await verifyPassword('x', 'garbage'), false);
});

test('secret box: round trip, bound to its aad, tamper detected, key file is 0600', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cs-box-'));
  const box = SecretBox.fromDataDir(dir);
  assert.equal(statSync(path.join(dir, 'master.key')).mode & 0o777, 0o600);
  const sealed = box.seal('whsec_abc', 'whk_1');
  assert.ok(!sealed.includes('whsec_abc'));
  assert.equal(box.open(sealed, 'whk_1'), 'whsec_abc');
  assert.throws(() => box.open(sealed, 'whk_2'), /does not authenticate/);
  const parts = sealed.split('.');
  parts[3] = Buffer.from('tampered').toString('base64url');
  assert.throws(() => box.open(parts.join('.'), 'whk_1'), /does not authenticate/);
  // Same key file → same key on the next start.
  assert.equal(SecretBox.fromDataDir(dir).open(sealed, 'whk_1'), 'whsec_abc');
});

test('logs redact secrets', async () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  const log = createLogger('info', sink);
  log.info({ user: { password: 'hunter2-secret' }, req: { headers: { authorization: 'Bearer csk_secretkey', cookie: 'cs_session=tok' } } }, 'x');
  log.info({ card: { pan: '4111111111111111' } }, 'y');
  await new Promise((r) => setImmediate(r));
  const out = lines.join('');
  assert.ok(out.includes('[redacted]'));
  for (const secret of ['hunter2-secret', 'csk_secretkey', 'cs_session=tok', '4111111111111111']) assert.ok(!out.includes(secret), secret);
});
