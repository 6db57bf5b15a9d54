import type { AppContext } from '../app-context.js';
import type { Call } from '../calls/call.js';
import { notFound } from '../core/errors.js';
import { CallRoomAudio } from './call-room-audio.js';
import type { LeaveReason } from './live-room.js';
import type { RoomRegistry } from './room-registry.js';
import type { Room, RoomRepo } from './room-repo.js';
import type { RoomRole } from './room-roles.js';

export interface CallInRoomOptions {
  /** A room id (`room_…`, which must exist), or a name: the newest open room so named, created (PCMU) if none. */
  room: string;
  role: Exclude<RoomRole, 'host'>;
  /** Shown to the room; defaults to the caller's number or SIP user. */
  name?: string;
}

/** The rooms service the calls layer uses (via `ctx.services.get('rooms')`). */
export interface RoomCalls {
  /** Checks a room exists and can take a phone call, before anything is dialled. */
  roomForCall(tenantId: string, room: string): Promise<Room>;
  /**
   * Puts an answered call in a room as an audio participant; resolves with why it left
   * (the call ended, was removed, or the room closed). In an Opus room the server
   * transcodes: the room mixed to the call's codec for the caller, the caller in Opus for the room.
   */
  join(call: Call, opts: CallInRoomOptions): Promise<LeaveReason>;
}

declare module '../core/services.js' {
  interface Services {
    rooms: RoomCalls;
  }
}

export function roomCalls(ctx: AppContext, repo: RoomRepo, registry: RoomRegistry): RoomCalls {
  /** Named rooms being created, so callers arriving together open one room, not several. */
  const opening = new Map<string, Promise<Room>>();
  const openNamed = (tenantId: string, name: string): Promise<Room> => {
    const key = `${tenantId}\n${name}`;
    let p = opening.get(key);
    if (!p) {
      p = (async () => {
        const existing = await repo.openByName(tenantId, name);
        if (existing) return existing;
        // Like a conference bridge's named rooms: the first caller opens it.
        const room = await repo.create({ tenantId, name, kind: 'audio', audioCodec: 'pcmu', maxParticipants: 50, createdBy: null });
        await ctx.bus.publish({ tenantId, type: 'room.created', data: { roomId: room.id, name: room.name, kind: room.kind, maxParticipants: room.maxParticipants } });
        return room;
      })().finally(() => opening.delete(key));
      opening.set(key, p);
    }
    return p;
  };

  const roomForCall = async (tenantId: string, ref: string): Promise<Room> => {
    let room = ref.startsWith('room_') ? await repo.get(tenantId, ref) : await openNamed(tenantId, ref);
    if (room?.closedAt) room = null;
    if (!room) throw notFound('Room');
    return room;
  };

  return {
    roomForCall,
    async join(call, opts) {
      const room = await roomForCall(call.record.tenantId, opts.room);
      const live = registry.open(room);
      const party = call.record.direction === 'inbound' ? call.record.from : call.record.to;
      let leave = () => {};
      // Taking the call's audio stops whatever played; anything that later takes it (a
      // prompt, a bridge, the call ending) takes the caller out of the room.
      const audio = call.joinConference(() => leave());
      const media = new CallRoomAudio(audio, room.audioCodec);
      return new Promise<LeaveReason>((resolve, reject) => {
        try {
          const participant = live.addExternalAudioParticipant({
            name: opts.name ?? displayName(party),
            role: opts.role,
            callId: call.id,
            onRtp: media.receive,
            onLeave: (reason) => {
              media.stop();
              call.leftConference();
              resolve(reason);
            },
          });
          leave = () => participant.leave();
          media.start(participant);
        } catch (err) {
          call.leftConference();
          reject(err);
        }
      });
    },
  };
}

/** `sip:+15550100@host` → `+15550100`; `user:usr_…` stays as is. */
const displayName = (party: string) => /^sips?:([^@;>]+)@/.exec(party)?.[1] ?? party;
