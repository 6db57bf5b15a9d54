import type { RoomLayout, RoomLayoutMode, RoomSpatialPosition } from '@callsight/protocol';
import { z } from 'zod';
import { CallsightError } from '../core/errors.js';
import type { LiveRoom } from './live-room.js';
import { canModerate } from './room-roles.js';

const pid = z.string().regex(/^ptc_[0-9a-z]{26}$/, 'must be a ptc_… id');
const position = z
  .object({
    azimuth: z.number().min(-180, 'azimuth must be at least -180°').max(180, 'azimuth must be at most 180°'),
    elevation: z.number().min(-90, 'elevation must be at least -90°').max(90, 'elevation must be at most 90°'),
    distance: z.number().min(0.1, 'distance must be at least 0.1 m').max(100, 'distance must be at most 100 m'),
  })
  .strict();

/** `room.layout`: a host sets the room's layout (spatial audio); validated whole before anything changes. */
export const roomLayoutMessage = z
  .object({
    kind: z.literal('room.layout'),
    ref: z.string().max(64).optional(),
    participantId: pid,
    mode: z.enum(['grid', 'speaker', 'focus']),
    featured: pid.nullable().optional(),
    positions: z
      .record(pid, position)
      .refine((r) => Object.keys(r).length <= 500, 'at most 500 positions')
      .optional(),
  })
  .strict();

export type RoomLayoutRequest = z.output<typeof roomLayoutMessage>;

const DEFAULT_LAYOUT: RoomLayout = { mode: 'grid', featured: null, positions: {}, version: 0, by: null };

/**
 * The shared layouts of live video rooms. A layout lives as long as its live room (media
 * state stays in the process serving the room), and every participant gets it on joining
 * and on each change, so all clients place tiles and voices alike.
 */
export class RoomLayouts {
  private readonly layouts = new WeakMap<LiveRoom, RoomLayout>();

  /** The room's layout (the default grid until a host sets one); null for audio rooms. */
  of(room: LiveRoom): RoomLayout | null {
    if (room.room.kind !== 'video') return null;
    return this.layouts.get(room) ?? DEFAULT_LAYOUT;
  }

  /** Applies a host's layout: refused (and nothing changes) for a non-host, another room's or an unknown participant. */
  set(room: LiveRoom, msg: RoomLayoutRequest): RoomLayout {
    const current = this.of(room);
    if (!current) throw new CallsightError('layout_not_supported', 'This is an audio room: it has no tiles to lay out', { status: 409 });
    const actor = room.list().items.find((p) => p.id === msg.participantId);
    if (!actor || !canModerate(actor.role)) throw new CallsightError('layout_not_allowed', 'Only a host can change the layout for everyone', { status: 403 });
    const present = new Set(room.list().items.map((p) => p.id));
    const named = [...(msg.featured ? [msg.featured] : []), ...Object.keys(msg.positions ?? {})];
    const unknown = named.filter((id) => !present.has(id));
    if (unknown.length > 0) {
      throw new CallsightError('unknown_participant', `Not in this room: ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ''}`, { status: 404 });
    }
    const next: RoomLayout = {
      mode: msg.mode as RoomLayoutMode,
      featured: msg.featured ?? null,
      positions: msg.positions ? copyPositions(msg.positions) : current.positions,
      version: current.version + 1,
      by: msg.participantId,
    };
    this.layouts.set(room, next);
    room.announce({ kind: 'room.layout.changed', roomId: room.room.id, layout: next });
    return next;
  }
}

function copyPositions(positions: Record<string, RoomSpatialPosition>): Record<string, RoomSpatialPosition> {
  const out: Record<string, RoomSpatialPosition> = {};
  for (const [id, p] of Object.entries(positions)) out[id] = { azimuth: p.azimuth, elevation: p.elevation, distance: p.distance };
  return out;
}
