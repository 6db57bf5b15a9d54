/**
 * The layout engine every client shares: tiles for a call's participants in a viewport,
 * and where each tile's voice comes from in the call's frame of reference.
 *
 * Angles are degrees. Azimuth 0 is straight ahead (the screen's centre), positive to the
 * right; elevation positive up; distance in metres (1 = the reference distance, full
 * level). The functions are pure: the same participants, order, viewport and layout give
 * the same tiles and positions on every client, so a layout shared through room
 * signalling puts each voice in the same place for everyone.
 */

/** What a tile shows: a camera, an avatar for audio-only and phone (SIP) participants, a screen share. */
export type TileKind = 'video' | 'audio' | 'phone' | 'screen';
/** grid: equal tiles; speaker: the active speaker large above a strip; focus: the selected tile large beside a strip. */
export type LayoutMode = 'grid' | 'speaker' | 'focus';

export interface LayoutParticipant {
  id: string;
  kind: TileKind;
  /** A screen share belongs to a participant: its tile follows the owner's and has no voice of its own. */
  ownerId?: string;
}

export interface Viewport {
  width: number;
  height: number;
}

/** Where a voice comes from, in the call's frame (not the listener's head). */
export interface SpatialPosition {
  azimuth: number;
  elevation: number;
  distance: number;
}

export interface Tile {
  id: string;
  kind: TileKind;
  /** Pixels in the viewport. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** The enlarged tile of a speaker or focus layout. */
  large: boolean;
  /** The tile's voice; null for a screen share (its owner's tile carries the voice). */
  position: SpatialPosition | null;
}

export interface LayoutInput {
  /** In the call's stable order (see `stableOrder`). */
  participants: LayoutParticipant[];
  viewport: Viewport;
  mode: LayoutMode;
  /** The enlarged tile: the selected participant (focus) or the active speaker (speaker). Falls back to the first tile. */
  featured?: string | null;
  /** Gap between tiles, px (default 8). */
  gap?: number;
}

export interface Layout {
  mode: LayoutMode;
  featured: string | null;
  tiles: Tile[];
}

/** No two voices closer than this (great-circle angle). */
export const MIN_SEPARATION_DEG = 15;
/** Azimuth of the screen's edge before widening: the screen spans ±60° of sound. */
export const SCREEN_AZIMUTH_DEG = 60;
/** Elevation of the screen's top/bottom edge before widening. */
export const SCREEN_ELEVATION_DEG = 20;
/** The voice field never goes behind the listener nor too far up or down. */
export const MAX_AZIMUTH_DEG = 90;
export const MAX_ELEVATION_DEG = 30;
/** A small tile beside a large one sounds a little further away. */
const STRIP_DISTANCE = 1.4;

/**
 * The call's stable order: everyone in `previous` keeps their place, newcomers are appended
 * in the order given, and those who left are dropped. A newcomer never shuffles the others.
 */
export function stableOrder(previous: readonly string[], current: readonly string[]): string[] {
  const now = new Set(current);
  const kept = previous.filter((id) => now.has(id));
  const seen = new Set(kept);
  return [...kept, ...current.filter((id) => !seen.has(id) && (seen.add(id), true))];
}

/** Tiles and voice positions for the participants in a viewport. */
export function computeLayout(input: LayoutInput): Layout {
  const gap = input.gap ?? 8;
  const { width, height } = input.viewport;
  const ordered = orderWithShares(input.participants);
  if (ordered.length === 0 || width <= 0 || height <= 0) return { mode: input.mode, featured: null, tiles: [] };
  const featured =
    input.mode === 'grid' ? null : (ordered.find((p) => p.id === input.featured) ?? ordered[0]).id;
  let rects: Rect[];
  if (input.mode === 'grid' || ordered.length === 1) {
    rects = gridRects(ordered.length, { x: 0, y: 0, width, height }, gap);
  } else {
    const others = ordered.filter((p) => p.id !== featured);
    const big = ordered.find((p) => p.id === featured)!;
    ordered.splice(0, ordered.length, big, ...others);
    rects = featuredRects(others.length, input.viewport, gap, input.mode);
  }
  const tiles: Tile[] = ordered.map((p, i) => ({
    id: p.id,
    kind: p.kind,
    ...rects[i],
    large: featured !== null && i === 0 && ordered.length > 1,
    position: null,
  }));
  if (featured !== null && tiles.length > 1) assignFeaturedPositions(tiles, input.viewport);
  else assignPositions(tiles, input.viewport);
  // Screen order back to the call's order, so a list of tiles reads the same in every layout.
  const index = new Map(orderWithShares(input.participants).map((p, i) => [p.id, i]));
  tiles.sort((a, b) => index.get(a.id)! - index.get(b.id)!);
  return { mode: input.mode, featured, tiles };
}

/** Great-circle angle between two directions, degrees. */
export function angularSeparation(a: Pick<SpatialPosition, 'azimuth' | 'elevation'>, b: Pick<SpatialPosition, 'azimuth' | 'elevation'>): number {
  const [ax, ay, az] = direction(a.azimuth, a.elevation);
  const [bx, by, bz] = direction(b.azimuth, b.elevation);
  const dot = Math.max(-1, Math.min(1, ax * bx + ay * by + az * bz));
  return (Math.acos(dot) * 180) / Math.PI;
}

/** Unit vector in Web Audio's frame (x right, y up, −z ahead) for an azimuth/elevation. */
export function direction(azimuthDeg: number, elevationDeg: number): [number, number, number] {
  const a = (azimuthDeg * Math.PI) / 180;
  const e = (elevationDeg * Math.PI) / 180;
  return [Math.sin(a) * Math.cos(e), Math.sin(e), -Math.cos(a) * Math.cos(e)];
}

/** Positions must be finite and inside the voice field; returns why not, or null. */
export function positionProblem(p: SpatialPosition): string | null {
  if (![p.azimuth, p.elevation, p.distance].every(Number.isFinite)) return 'azimuth, elevation and distance must be numbers';
  if (Math.abs(p.azimuth) > 180) return 'azimuth must be between -180 and 180 degrees';
  if (Math.abs(p.elevation) > 90) return 'elevation must be between -90 and 90 degrees';
  if (p.distance < 0.1 || p.distance > 100) return 'distance must be between 0.1 and 100 metres';
  return null;
}

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Screen shares right after their owner (or at the end when the owner is not in the call). */
function orderWithShares(participants: LayoutParticipant[]): LayoutParticipant[] {
  const seen = new Set<string>();
  const people = participants.filter((p) => p.kind !== 'screen' && !seen.has(p.id) && (seen.add(p.id), true));
  const shares = participants.filter((p) => p.kind === 'screen' && !seen.has(p.id) && (seen.add(p.id), true));
  const out: LayoutParticipant[] = [];
  for (const p of people) out.push(p, ...shares.filter((s) => s.ownerId === p.id));
  out.push(...shares.filter((s) => !people.some((p) => p.id === s.ownerId)));
  return out;
}

/** At most this many tiles side by side: the voice field separates ten across (18° apart over ±90°). */
export const MAX_COLUMNS = 10;

/** Columns × rows for n 4:3 tiles in a box, the arrangement with the largest tiles. */
export function gridShape(n: number, width: number, height: number, minCols = 1): { cols: number; rows: number } {
  let best = { cols: 1, rows: n, size: 0 };
  for (let cols = Math.min(minCols, MAX_COLUMNS, n); cols <= Math.min(n, MAX_COLUMNS); cols++) {
    const rows = Math.ceil(n / cols);
    // Tile area at 4:3 limited by the cell.
    const cw = width / cols;
    const ch = height / rows;
    const w = Math.min(cw, (ch * 4) / 3);
    const size = w * ((w * 3) / 4);
    if (size > best.size + 1e-9) best = { cols, rows, size };
  }
  return { cols: best.cols, rows: best.rows };
}

function gridRects(n: number, box: Rect, gap: number, minCols = 1): Rect[] {
  const { cols, rows } = gridShape(n, box.width, box.height, minCols);
  const cw = (box.width - gap * (cols - 1)) / cols;
  const ch = (box.height - gap * (rows - 1)) / rows;
  const rects: Rect[] = [];
  for (let i = 0; i < n; i++) {
    const row = Math.floor(i / cols);
    // The last row is centred, so a lone last tile sits in the middle; in a grid taller than the
    // voice field's five rows it stays left-aligned, so its voices fold onto the same columns.
    const inRow = row === rows - 1 && rows <= 5 ? n - row * cols : cols;
    const offset = ((cols - inRow) * (cw + gap)) / 2;
    const col = i % cols;
    rects.push({ x: round(box.x + offset + col * (cw + gap)), y: round(box.y + row * (ch + gap)), width: round(cw), height: round(ch) });
  }
  return rects;
}

/** The featured tile first, then a strip: below it (speaker, or any portrait screen) or to its right (focus on a wide screen). */
function featuredRects(others: number, vp: Viewport, gap: number, mode: LayoutMode): Rect[] {
  // A side strip for a few tiles on a wide screen; more go below, where the voice field has room for them.
  const side = mode === 'focus' && vp.width > vp.height && others <= 5;
  if (side) {
    const stripW = Math.round(Math.min(vp.width * 0.25, 320));
    const big = { x: 0, y: 0, width: vp.width - stripW - gap, height: vp.height };
    return [big, ...stripRects(others, { x: big.width + gap, y: 0, width: stripW, height: vp.height }, gap, 'column')];
  }
  const stripH = Math.round(Math.min(vp.height * 0.25, 200));
  const big = { x: 0, y: 0, width: vp.width, height: vp.height - stripH - gap };
  return [big, ...stripRects(others, { x: 0, y: big.height + gap, width: vp.width, height: stripH }, gap, 'row')];
}

/** A strip of small tiles; many wrap into a small grid inside the strip. */
function stripRects(n: number, box: Rect, gap: number, dir: 'row' | 'column'): Rect[] {
  if (n === 0) return [];
  const fit = dir === 'row' ? Math.floor((box.width + gap) / (box.height * 0.9 + gap)) : Math.floor((box.height + gap) / ((box.width * 3) / 4 + gap));
  const perLine = Math.max(1, Math.min(MAX_COLUMNS, fit));
  if (n <= perLine) {
    return dir === 'row'
      ? gridRects(n, box, gap).map((r, i, all) => ({ ...r, ...lineCell(i, all.length, box, gap, dir) }))
      : Array.from({ length: n }, (_, i) => lineCell(i, n, box, gap, dir));
  }
  // At most four lines: the voice field has four elevations for a strip.
  return gridRects(n, box, gap, Math.ceil(n / 4));
}

function lineCell(i: number, n: number, box: Rect, gap: number, dir: 'row' | 'column'): Rect {
  if (dir === 'row') {
    const w = (box.width - gap * (n - 1)) / n;
    return { x: round(box.x + i * (w + gap)), y: box.y, width: round(w), height: box.height };
  }
  const h = (box.height - gap * (n - 1)) / n;
  return { x: box.x, y: round(box.y + i * (h + gap)), width: box.width, height: round(h) };
}

/**
 * Tile → voice. A tile's centre maps to azimuth (across) and elevation (up): the screen's
 * centre is straight ahead and the screen spans ±SCREEN_AZIMUTH_DEG. Rows of tiles are at
 * least 15° apart in elevation, and tiles in one row at least 18° apart in azimuth (15° of
 * arc at ±30° up), widening the field as needed up to ±90° / ±30°. A layout with more
 * rows than fit (a phone's tall grid) folds rows into extra columns on the same side, so
 * left stays left and right stays right.
 */
function assignPositions(tiles: Tile[], vp: Viewport): void {
  const voiced = tiles.filter((t) => t.kind !== 'screen');
  if (voiced.length === 0) return;
  const cx = (t: Tile) => (t.x + t.width / 2 - vp.width / 2) / (vp.width / 2);
  const cy = (t: Tile) => (vp.height / 2 - (t.y + t.height / 2)) / (vp.height / 2);
  const ys = clusters(voiced.map(cy)); // ascending: bottom row first
  const AZ_STEP = 18;
  const EL_STEP = MIN_SEPARATION_DEG;
  const maxRows = Math.floor((2 * MAX_ELEVATION_DEG) / EL_STEP) + 1;
  const rowOf = (t: Tile) => nearest(ys, cy(t));

  let azOf: (t: Tile) => number;
  let elOf: (t: Tile) => number;
  if (ys.length <= maxRows) {
    elOf = spread(ys, SCREEN_ELEVATION_DEG, EL_STEP, MAX_ELEVATION_DEG, cy);
    // Azimuth only has to separate tiles of the same row: rows are apart in elevation.
    const rows = ys.map((_, r) => voiced.filter((t) => rowOf(t) === r).map(cx).sort((a, b) => a - b));
    let minGap = Infinity;
    for (const xs of rows) for (let i = 1; i < xs.length; i++) minGap = Math.min(minGap, xs[i] - xs[i - 1]);
    const extent = Math.max(0, ...voiced.map((t) => Math.abs(cx(t))));
    const scale = Number.isFinite(minGap) && minGap > 0 ? Math.max(SCREEN_AZIMUTH_DEG, AZ_STEP / minGap) : SCREEN_AZIMUTH_DEG;
    if (scale * extent <= MAX_AZIMUTH_DEG) {
      azOf = (t) => cx(t) * scale;
    } else {
      // More tiles in a row than the field separates linearly: even spacing by their rank in the row.
      const widest = Math.max(...rows.map((xs) => xs.length));
      const step = (2 * MAX_AZIMUTH_DEG) / Math.max(1, widest - 1);
      azOf = (t) => {
        const xs = rows[rowOf(t)];
        return (nearest(xs, cx(t)) - (xs.length - 1) / 2) * step;
      };
    }
  } else {
    // Lattice: tile (row r from the top, column c) → column c·fold + ⌊r / rows⌋, row r mod rows.
    const xs = clusters(voiced.map(cx));
    const fold = Math.ceil(ys.length / maxRows);
    const rows = Math.ceil(ys.length / fold);
    const cols = xs.length * fold;
    const azStep = Math.min((2 * MAX_AZIMUTH_DEG) / Math.max(1, cols - 1), Math.max(AZ_STEP, 120 / Math.max(1, cols - 1)));
    const elStep = Math.min(20, (2 * MAX_ELEVATION_DEG) / Math.max(1, rows - 1));
    const fromTop = (t: Tile) => ys.length - 1 - rowOf(t);
    azOf = (t) => (nearest(xs, cx(t)) * fold + Math.floor(fromTop(t) / rows) - (cols - 1) / 2) * azStep;
    elOf = (t) => ((rows - 1) / 2 - (fromTop(t) % rows)) * elStep;
  }
  const largest = Math.max(...voiced.map((t) => t.width * t.height));
  const anyLarge = tiles.some((o) => o.large);
  for (const t of voiced) {
    const small = anyLarge && !t.large && t.width * t.height < largest;
    t.position = { azimuth: round(azOf(t)), elevation: round(elOf(t)), distance: small ? STRIP_DISTANCE : 1 };
  }
}

/**
 * Speaker and focus layouts: the large tile straight ahead. A strip below sounds below it,
 * its first line 15° down and a second 30° down (further lines above, 15° and 30° up); a
 * strip at the right sounds to the right, 30° to 90°, its rows 15° apart in elevation.
 */
function assignFeaturedPositions(tiles: Tile[], vp: Viewport): void {
  const big = tiles[0];
  big.position = { azimuth: 0, elevation: 0, distance: 1 };
  const strip = tiles.slice(1).filter((t) => t.kind !== 'screen');
  if (strip.length === 0) return;
  const cx = (t: Tile) => (t.x + t.width / 2 - vp.width / 2) / (vp.width / 2);
  const cyDown = (t: Tile) => t.y + t.height / 2;
  const lines = clusters(strip.map(cyDown).map((y) => y / vp.height)); // top line first
  const lineOf = (t: Tile) => nearest(lines, cyDown(t) / vp.height);
  const sideStrip = strip.every((t) => t.x >= big.x + big.width);
  let azOf: (t: Tile) => number;
  let elOf: (t: Tile) => number;
  if (sideStrip) {
    const cols = clusters(strip.map(cx));
    const azStep = cols.length > 1 ? 60 / (cols.length - 1) : 0;
    azOf = (t) => (cols.length > 1 ? 30 + nearest(cols, cx(t)) * azStep : 45);
    const elStep = Math.min(MIN_SEPARATION_DEG * 1.5, lines.length > 1 ? (2 * MAX_ELEVATION_DEG) / (lines.length - 1) : 0);
    elOf = (t) => ((lines.length - 1) / 2 - lineOf(t)) * elStep;
  } else {
    const ELEVATIONS = [-15, -30, 15, 30];
    elOf = (t) => ELEVATIONS[Math.min(lineOf(t), ELEVATIONS.length - 1)];
    const byLine = lines.map((_, l) => strip.filter((t) => lineOf(t) === l).map(cx).sort((a, b) => a - b));
    azOf = (t) => {
      const xs = byLine[lineOf(t)];
      return lineAzimuth(xs, cx(t));
    };
  }
  for (const t of strip) t.position = { azimuth: round(azOf(t)), elevation: round(elOf(t)), distance: STRIP_DISTANCE };
}

/** Azimuth of a tile in one line of tiles (centres `xs`, ascending): linear and widened to 18° steps, else even by rank. */
function lineAzimuth(xs: number[], x: number): number {
  let minGap = Infinity;
  for (let i = 1; i < xs.length; i++) minGap = Math.min(minGap, xs[i] - xs[i - 1]);
  const scale = Number.isFinite(minGap) && minGap > 0 ? Math.max(SCREEN_AZIMUTH_DEG, 18 / minGap) : SCREEN_AZIMUTH_DEG;
  const extent = Math.max(...xs.map(Math.abs));
  if (scale * extent <= MAX_AZIMUTH_DEG) return x * scale;
  const step = (2 * MAX_AZIMUTH_DEG) / Math.max(1, xs.length - 1);
  return (nearest(xs, x) - (xs.length - 1) / 2) * step;
}

/**
 * Maps normalized screen coordinates (−1…1, ascending clusters) to angles: `screen`° at
 * the edge, widened so neighbouring clusters are at least `step`° apart, capped at `max`°.
 */
function spread(values: number[], screen: number, step: number, max: number, coord: (t: Tile) => number): (t: Tile) => number {
  let minGap = Infinity;
  for (let i = 1; i < values.length; i++) minGap = Math.min(minGap, values[i] - values[i - 1]);
  const extent = Math.max(0, ...values.map(Math.abs));
  let scale = screen;
  if (Number.isFinite(minGap) && minGap > 0) scale = Math.max(scale, step / minGap);
  if (extent > 0 && scale * extent > max) {
    // Even spacing by rank over the field when linear widening would leave it.
    const n = values.length;
    const rankStep = Math.min(step * 1.5, (2 * max) / Math.max(1, n - 1));
    return (t) => (nearest(values, coord(t)) - (n - 1) / 2) * rankStep;
  }
  return (t) => values[nearest(values, coord(t))] * scale;
}

/** Distinct values (sorted ascending), merging those a rounding apart. */
function clusters(values: number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const out: number[] = [];
  for (const v of sorted) if (out.length === 0 || v - out[out.length - 1] > 0.005) out.push(v);
  return out;
}

function nearest(values: number[], v: number): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (Math.abs(values[i] - v) < Math.abs(values[best] - v)) best = i;
  return best;
}

const round = (v: number) => Math.round(v * 10) / 10 + 0; // + 0: no −0
