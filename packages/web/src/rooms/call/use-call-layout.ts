import { computeLayout, stableOrder, type Layout, type LayoutMode, type LayoutParticipant, type RoomLayout, type RoomParticipant, type SpatialPosition, type TileKind, type Viewport } from '@callsight/sdk';
import { useMemo, useRef } from 'react';

export interface CallLayout extends Layout {
  /** Participant → where their voice comes from: their tile's position, or one the host's app set. */
  positions: Map<string, SpatialPosition>;
  /** True while you look at a layout of your own (a pin or a picked mode) instead of the shared one. */
  local: boolean;
}

/** A layout you chose for yourself: a mode, and in focus the participant you pinned. */
export interface LocalLayout {
  mode: LayoutMode;
  featured: string | null;
}

const kindOf = (p: RoomParticipant): TileKind => (p.external ? 'phone' : p.publishing.includes('video') ? 'video' : 'audio');

/**
 * The tiles of everyone else on stage in the stage's box, by the SDK's layout engine, so
 * a tile and its voice come from the same place. The host's shared layout applies unless
 * you chose your own; the call's order is stable (a newcomer shuffles nobody). In the
 * speaker layout the enlarged tile, and so the voice ahead, follows the active speaker.
 */
export function useCallLayout(others: RoomParticipant[], shared: RoomLayout | null, local: LocalLayout | null, activeSpeaker: string | null, viewport: Viewport): CallLayout {
  const order = useRef<string[]>([]);
  const lastSpeaker = useRef<string | null>(null);
  return useMemo(() => {
    order.current = stableOrder(order.current, others.map((p) => p.id));
    const byId = new Map(others.map((p) => [p.id, p]));
    const participants: LayoutParticipant[] = order.current.map((id) => ({ id, kind: kindOf(byId.get(id)!) }));
    // A pin on someone who left no longer counts: the shared layout applies again.
    const own = local && (local.mode !== 'focus' || (local.featured !== null && byId.has(local.featured))) ? local : null;
    const chosen = own ?? { mode: shared?.mode ?? 'grid', featured: shared?.featured ?? null };
    const mode = chosen.mode;
    // The speaker layout keeps the last other speaker large through silences and your own words.
    if (activeSpeaker && byId.has(activeSpeaker)) lastSpeaker.current = activeSpeaker;
    const featured = mode === 'speaker' ? lastSpeaker.current : chosen.featured;
    const layout = computeLayout({ participants, viewport, mode, featured });
    const positions = new Map<string, SpatialPosition>();
    for (const t of layout.tiles) {
      const p = shared?.positions[t.id] ?? t.position;
      if (p) positions.set(t.id, p);
    }
    return { ...layout, positions, local: own !== null };
  }, [others, shared, local, activeSpeaker, viewport.width, viewport.height]);
}
