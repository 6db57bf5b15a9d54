/**
 * Calls, media, SIP and WebRTC sit below the features: they offer hook points and
 * a verb registry that features fill, and import no feature folder. This walks
 * their import statements (type-only ones too), so a shortcut from the calls layer
 * into branding or deflection fails here instead of surviving review.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src');
const LOWER = ['calls', 'media', 'sip', 'webrtc'];
/** What the lower layers may import besides each other: the platform underneath. Every other folder is a feature (or the CLI). */
const PLATFORM = ['core', 'store', 'bus', 'http', 'auth'];

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : full.endsWith('.ts') ? [full] : [];
  });
}

/** Relative specifiers of `import … from`, `export … from`, `import '…'` and `import('…')`. */
export function importsOf(source: string): string[] {
  const found: string[] = [];
  const patterns = [/\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*['"]([^'"]+)['"]/g, /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const re of patterns) for (const m of source.matchAll(re)) found.push(m[1]);
  return found.filter((s) => s.startsWith('.'));
}

const topFolder = (file: string) => path.relative(SRC, file).split(path.sep)[0];
const folders = readdirSync(SRC).filter((n) => statSync(path.join(SRC, n)).isDirectory());
const features = folders.filter((f) => !LOWER.includes(f) && !PLATFORM.includes(f));

test('the walker sees every import form', () => {
  const src = `import { a } from '../x/a.js';\nimport type {\n  B,\n} from "../y/b.js";\nexport { c } from './c.js';\nimport './side.js';\nconst d = await import('../z/d.js');\nimport { z } from 'zod';\ndeclare module '../core/services.js' {}`;
  assert.deepEqual(importsOf(src).sort(), ['../x/a.js', '../y/b.js', '../z/d.js', './c.js', './side.js']);
});

test('calls, media, sip and webrtc import no feature folder', () => {
  assert.ok(features.includes('branding') && features.includes('deflection'), `feature folders found: ${features.join(', ')}`);
  const offences: string[] = [];
  for (const layer of LOWER) {
    for (const file of walk(path.join(SRC, layer))) {
      for (const spec of importsOf(readFileSync(file, 'utf8'))) {
        const target = topFolder(path.resolve(path.dirname(file), spec));
        if (features.includes(target)) offences.push(`${path.relative(SRC, file)} imports ${spec}`);
      }
    }
  }
  assert.deepEqual(offences, []);
});
