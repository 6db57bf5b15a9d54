import type { AppContext } from '../../app-context.js';
import { notFound } from '../../core/errors.js';
import type { MediaClock } from '../../media/clock.js';
import type { Call } from '../call.js';
import { Conference, type ConferenceMemberView } from './conference.js';

declare module '../../core/services.js' {
  interface Services {
    conferences: Conferences;
  }
}

/**
 * The conference rooms of this process, by tenant and name. A room exists while it has
 * members: the first join opens it, the last leave closes it. Rooms hold live calls, so
 * they live in the process that holds the calls.
 */
export class Conferences {
  private readonly rooms = new Map<string, Conference>();

  constructor(
    private readonly ctx: AppContext,
    private readonly clock: MediaClock,
  ) {}

  get(tenantId: string, name: string): ConferenceMemberView[] | null {
    return this.rooms.get(key(tenantId, name))?.view() ?? null;
  }

  /** Moves the call into the room (out of any other room); answers with the members. */
  async join(call: Call, name: string, muted = false): Promise<ConferenceMemberView[]> {
    const { tenantId } = call.record;
    let room = this.rooms.get(key(tenantId, name));
    if (!room) {
      room = new Conference(tenantId, name, this.clock, (r, callId) => this.left(r, callId));
      this.rooms.set(key(tenantId, name), room);
    }
    try {
      room.join(call, muted);
    } catch (err) {
      if (room.size === 0) this.rooms.delete(key(tenantId, name));
      throw err;
    }
    await this.publish(call, 'conference.joined', { conference: name, callId: call.id, muted });
    return room.view();
  }

  leave(call: Call, name: string): void {
    if (!this.rooms.get(key(call.record.tenantId, name))?.leave(call.id)) throw notFound('Conference member');
  }

  async mute(call: Call, name: string, muted: boolean): Promise<ConferenceMemberView[]> {
    const room = this.rooms.get(key(call.record.tenantId, name));
    if (!room?.mute(call.id, muted)) throw notFound('Conference member');
    await this.publish(call, 'conference.muted', { conference: name, callId: call.id, muted });
    return room.view();
  }

  close(): void {
    for (const room of [...this.rooms.values()]) room.close();
  }

  private left(room: Conference, callId: string): void {
    if (room.size === 0) this.rooms.delete(key(room.tenantId, room.name));
    void this.ctx.bus
      .publish({ tenantId: room.tenantId, type: 'conference.left', data: { conference: room.name, callId } })
      .catch((err) => this.ctx.log.error({ err }, 'publishing conference.left failed'));
  }

  private async publish<T extends 'conference.joined' | 'conference.muted'>(call: Call, type: T, data: import('../../bus/event-map.js').EventMap[T]): Promise<void> {
    await this.ctx.bus.publish({ tenantId: call.record.tenantId, type, interactionId: call.record.interactionId, data } as never);
  }
}

const key = (tenantId: string, name: string) => `${tenantId}\n${name}`;
