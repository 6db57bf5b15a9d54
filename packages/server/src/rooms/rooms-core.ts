import type { RoomRecordings } from './room-recordings.js';
import type { RoomRegistry } from './room-registry.js';
import type { RoomRepo } from './room-repo.js';

/** The rooms' store and live registry, for parts built on rooms (conversations) that run as their own feature. */
export interface RoomsCore {
  repo: RoomRepo;
  registry: RoomRegistry;
  /** Recordings running in this process (a conversation's host records its room). */
  recordings: RoomRecordings;
}

declare module '../core/services.js' {
  interface Services {
    roomsCore: RoomsCore;
  }
}
