/**
 * The shared layout of a video room (spatial audio): which layout everyone sees, who is
 * enlarged, and voice positions an app set itself. Hosts set it with `room.layout`; the
 * server checks it (host only, participants in the room, positions in range) and pushes
 * it to everyone, so every client lays tiles out and places voices alike.
 */
export type RoomLayoutMode = 'grid' | 'speaker' | 'focus';

/** Degrees (azimuth positive right, elevation positive up) and metres, in the call's frame. */
export interface RoomSpatialPosition {
  azimuth: number;
  elevation: number;
  distance: number;
}

export interface RoomLayout {
  mode: RoomLayoutMode;
  /** The enlarged participant (focus, speaker); null: the active speaker or the first tile. */
  featured: string | null;
  /** Positions set by the app (Dolby.io / High Fidelity style), taking over from the tiles for these participants. */
  positions: Record<string, RoomSpatialPosition>;
  /** Counts changes, so a client can drop an older one. */
  version: number;
  /** The host who set it; null for the room's default. */
  by: string | null;
}

export type RoomLayoutClientMessage = {
  kind: 'room.layout';
  ref?: string;
  participantId: string;
  mode: RoomLayoutMode;
  featured?: string | null;
  /** Replaces the app-set positions (omit to keep them, {} to clear). */
  positions?: Record<string, RoomSpatialPosition>;
};

export type RoomLayoutServerMessage =
  | { kind: 'room.layout.done'; ref?: string; layout: RoomLayout }
  | { kind: 'room.layout.changed'; roomId: string; layout: RoomLayout };
