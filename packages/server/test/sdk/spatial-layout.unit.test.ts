import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { angularSeparation, computeLayout, MIN_SEPARATION_DEG, stableOrder, type LayoutMode, type LayoutParticipant, type Tile, type TileKind } from '@callsight/sdk';

/** A small seeded generator: the same cases on every run. */
function rng(seed: number) {
  return (min: number, max: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return min + (seed % (max - min + 1));
  };
}
const MODES: LayoutMode[] = ['grid', 'speaker', 'focus'];

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };
const people = (n: number, kind: TileKind = 'video'): LayoutParticipant[] => Array.from({ length: n }, (_, i) => ({ id: `p${i}`, kind }));

function minSeparation(tiles: Tile[]): number {
  const voiced = tiles.filter((t) => t.position);
  let min = Infinity;
  for (let i = 0; i < voiced.length; i++) for (let j = i + 1; j < voiced.length; j++) min = Math.min(min, angularSeparation(voiced[i].position!, voiced[j].position!));
  return min;
}

const overlaps = (a: Tile, b: Tile) => a.x < b.x + b.width - 0.5 && b.x < a.x + a.width - 0.5 && a.y < b.y + b.height - 0.5 && b.y < a.y + a.height - 0.5;

describe('layout engine: tiles and where their voices come from', () => {
  test('every participant kind gets a tile; a screen share follows its owner and has no voice of its own', () => {
    const ps: LayoutParticipant[] = [
      { id: 'cam', kind: 'video' },
      { id: 'share', kind: 'screen', ownerId: 'cam' },
      { id: 'voice', kind: 'audio' },
      { id: 'sip', kind: 'phone' },
    ];
    const l = computeLayout({ participants: ps, viewport: DESKTOP, mode: 'grid' });
    assert.deepEqual(l.tiles.map((t) => [t.id, t.kind]), [['cam', 'video'], ['share', 'screen'], ['voice', 'audio'], ['sip', 'phone']]);
    assert.equal(l.tiles.find((t) => t.id === 'share')!.position, null);
    for (const id of ['cam', 'voice', 'sip']) assert.ok(l.tiles.find((t) => t.id === id)!.position, `${id} has a voice`);
  });

  test('a lone participant is straight ahead; two are left and right, the left tile on the left', () => {
    const one = computeLayout({ participants: people(1), viewport: DESKTOP, mode: 'grid' }).tiles[0].position!;
    assert.deepEqual(one, { azimuth: 0, elevation: 0, distance: 1 });
    const [a, b] = computeLayout({ participants: people(2), viewport: DESKTOP, mode: 'grid' }).tiles;
    assert.ok(a.x < b.x && a.position!.azimuth < 0 && b.position!.azimuth > 0, `${a.position!.azimuth} / ${b.position!.azimuth}`);
    assert.equal(a.position!.azimuth, -b.position!.azimuth, 'symmetric about the centre');
  });

  test('grid of nine: the centre tile is straight ahead, top row above, left column left', () => {
    const tiles = computeLayout({ participants: people(9), viewport: DESKTOP, mode: 'grid' }).tiles;
    const centre = tiles[4].position!;
    assert.equal(centre.azimuth, 0);
    assert.equal(centre.elevation, 0);
    assert.ok(tiles[0].position!.elevation > 0 && tiles[0].position!.azimuth < 0, 'top-left is up and left');
    assert.ok(tiles[8].position!.elevation < 0 && tiles[8].position!.azimuth > 0, 'bottom-right is down and right');
  });

  test('a newcomer is appended: nobody ahead of them moves in the order, and when the grid keeps its shape nobody moves at all', () => {
    const order1 = stableOrder([], ['a', 'b', 'c', 'd', 'e']);
    const order2 = stableOrder(order1, ['f', 'c', 'a', 'e', 'b', 'd']);
    assert.deepEqual(order2, ['a', 'b', 'c', 'd', 'e', 'f']);
    assert.deepEqual(stableOrder(order2, ['f', 'a', 'd']), ['a', 'd', 'f'], 'leavers drop out, the rest keep their order');
    const ps = (ids: string[]) => ids.map((id) => ({ id, kind: 'video' as const }));
    // 5 → 6 keeps a 3 × 2 grid on a desktop: the first five tiles stay where they were, apart from the centred last row.
    const before = computeLayout({ participants: ps(order1), viewport: DESKTOP, mode: 'grid' }).tiles;
    const after = computeLayout({ participants: ps(order2), viewport: DESKTOP, mode: 'grid' }).tiles;
    for (let i = 0; i < 3; i++) assert.deepEqual(after[i].position, before[i].position, `${after[i].id} stayed`);
  });

  test('speaker and focus layouts enlarge the featured tile; the others stay in order, smaller and a little further away', () => {
    for (const mode of ['speaker', 'focus'] as LayoutMode[]) {
      for (const vp of [PHONE, DESKTOP]) {
        const l = computeLayout({ participants: people(6), viewport: vp, mode, featured: 'p3' });
        const big = l.tiles.find((t) => t.large)!;
        assert.equal(big.id, 'p3');
        assert.equal(l.featured, 'p3');
        assert.deepEqual(l.tiles.map((t) => t.id), ['p0', 'p1', 'p2', 'p3', 'p4', 'p5'], 'listed in call order');
        for (const t of l.tiles) if (t !== big) assert.ok(t.width * t.height < big.width * big.height && t.position!.distance > 1, `${mode} ${t.id}`);
        assert.equal(big.position!.distance, 1);
        for (let i = 0; i < l.tiles.length; i++) for (let j = i + 1; j < l.tiles.length; j++) assert.ok(!overlaps(l.tiles[i], l.tiles[j]), `${mode} ${vp.width}: ${l.tiles[i].id} overlaps ${l.tiles[j].id}`);
      }
    }
    // Focus on a wide screen puts the strip at the side: its tiles are to the right.
    const focus = computeLayout({ participants: people(4), viewport: DESKTOP, mode: 'focus', featured: 'p0' });
    for (const t of focus.tiles.filter((x) => !x.large)) assert.ok(t.position!.azimuth > 0, `${t.id} at ${t.position!.azimuth}`);
    // An unknown featured id falls back to the first tile rather than failing.
    assert.equal(computeLayout({ participants: people(3), viewport: DESKTOP, mode: 'focus', featured: 'nobody' }).featured, 'p0');
  });

  test('tiles stay inside the viewport and never overlap (phone and desktop, up to 25 participants)', () => {
    for (const vp of [PHONE, DESKTOP]) {
      for (let n = 1; n <= 25; n++) {
        for (const mode of ['grid', 'speaker', 'focus'] as LayoutMode[]) {
          const { tiles } = computeLayout({ participants: people(n), viewport: vp, mode, featured: 'p0' });
          assert.equal(tiles.length, n);
          for (const t of tiles) assert.ok(t.x >= -0.5 && t.y >= -0.5 && t.x + t.width <= vp.width + 0.5 && t.y + t.height <= vp.height + 0.5, `${mode} n=${n} ${t.id} outside`);
          for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) assert.ok(!overlaps(tiles[i], tiles[j]), `${mode} n=${n} ${vp.width}: overlap`);
        }
      }
    }
  });

  test('property: voices are at least 15° apart, in front, within ±30° elevation, for any mode, viewport and count up to 25', () => {
    const r = rng(20);
    for (let run = 0; run < 400; run++) {
      const n = r(1, 25);
      const width = r(320, 2560);
      const height = r(320, 1600);
      const mode = MODES[r(0, 2)];
      const { tiles } = computeLayout({ participants: people(n), viewport: { width, height }, mode, featured: `p${r(0, 30)}` });
      const sep = minSeparation(tiles);
      assert.ok(n === 1 || sep >= MIN_SEPARATION_DEG - 0.2, `n=${n} ${width}×${height} ${mode}: ${sep.toFixed(1)}°`);
      for (const t of tiles) assert.ok(Math.abs(t.position!.azimuth) <= 90 && Math.abs(t.position!.elevation) <= 30, `${t.id} ${JSON.stringify(t.position)}`);
    }
  });

  test('property: left of the screen is left of the listener (a tile further left never sounds further right within its row)', () => {
    for (let n = 2; n <= 16; n++)
      for (const vp of [PHONE, DESKTOP])
        for (const mode of MODES) {
          const { tiles } = computeLayout({ participants: people(n), viewport: vp, mode, featured: 'p0' });
          for (const a of tiles)
            for (const b of tiles) {
              const sameRow = Math.abs(a.y + a.height / 2 - (b.y + b.height / 2)) < 2;
              if (sameRow && a.x + a.width <= b.x) assert.ok(a.position!.azimuth < b.position!.azimuth, `${mode} n=${n}: ${a.id} ${a.position!.azimuth} vs ${b.id} ${b.position!.azimuth}`);
            }
        }
  });
});
