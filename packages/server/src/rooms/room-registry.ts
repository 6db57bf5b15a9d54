import type { AppContext } from '../app-context.js';
import { LiveRoom } from './live-room.js';
import type { Room } from './room-repo.js';

/** The rooms with participants in this process; a room comes alive on its first join and goes when empty. */
export class RoomRegistry {
  private readonly live = new Map<string, LiveRoom>();

  constructor(private readonly ctx: AppContext) {}

  get(roomId: string): LiveRoom | undefined {
    return this.live.get(roomId);
  }

  open(room: Room): LiveRoom {
    let r = this.live.get(room.id);
    if (!r) {
      r = new LiveRoom(room, this.ctx, (gone) => {
        if (this.live.get(room.id) === gone) this.live.delete(room.id);
      });
      this.live.set(room.id, r);
    }
    return r;
  }

  closeAll(): void {
    for (const r of [...this.live.values()]) r.close('closed');
  }
}
