import { computeLayout, stableOrder, type Layout, type LayoutParticipant, type RoomLayout, type RoomParticipant, type SpatialPosition, type TileKind, type Viewport } from '@callsight/sdk';
import { useMemo, useRef } from 'react';

export interface CallLayout extends Layout {
  /** Participant → where their voice comes from: their tile's position, or one the host's app set. */
  positions: Map<string, SpatialPosition>;
  /** True while you look at your own pin instead of the shared layout. */
  pinnedLocally: boolean;
}

const kindOf = (p: RoomParticipant): TileKind => (p.external ? 'phone' : p.publishing.includes('video') ? 'video' : 'audio');

/**
 * The tiles of everyone else on stage in the stage's box, by the SDK's layout engine, so
 * a tile and its voice come from the same place. The host's shared layout applies unless
 * you pinned someone yourself; the call's order is stable (a newcomer shuffles nobody).
 */
export function useCallLayout(others: RoomParticipant[], shared: RoomLayout | null, localPin: string | null, activeSpeaker: string | null, viewport: Viewport): CallLayout {
  const order = useRef<string[]>([]);
  return useMemo(() => {
    order.current = stableOrder(order.current, others.map((p) => p.id));
    const byId = new Map(others.map((p) => [p.id, p]));
    const participants: LayoutParticipant[] = order.current.map((id) => ({ id, kind: kindOf(byId.get(id)!) }));
    const pin = localPin && byId.has(localPin) ? localPin : null;
    const mode = pin ? 'focus' : (shared?.mode ?? 'grid');
    const featured = pin ?? (mode === 'speaker' ? activeSpeaker : (shared?.featured ?? null));
    const layout = computeLayout({ participants, viewport, mode, featured });
    const positions = new Map<string, SpatialPosition>();
    for (const t of layout.tiles) {
      const p = shared?.positions[t.id] ?? t.position;
      if (p) positions.set(t.id, p);
    }
    return { ...layout, positions, pinnedLocally: pin !== null };
  }, [others, shared, localPin, activeSpeaker, viewport.width, viewport.height]);
}
