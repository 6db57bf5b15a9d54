import type { Feature } from '../core/feature.js';
import type { WsClient } from '../http/ws-hub.js';
import { registerGuestSocket } from './guest-socket.js';
import { roomCalls } from './room-calls.js';
import { RoomRegistry } from './room-registry.js';
import { RoomRepo } from './room-repo.js';
import { roomRecordingRoutes } from './room-recording-routes.js';
import { RoomRecordingRepo } from './room-recording-repo.js';
import { RoomRecordings } from './room-recordings.js';
import { roomRoutes } from './room-routes.js';
import { roomMessages, RoomSignalling, type SignalClient } from './room-signalling.js';
import { roomVerb } from './room-verb.js';
import './rooms-core.js';

/** Social audio rooms and phone calls in them (the `room` flow verb, dial-out to a room through telephony). */
export const roomsFeature: Feature = {
  name: 'rooms',
  uses: ['telephony'],
  provides: ['rooms', 'roomsCore'],
  async setup(ctx, { routes, ws, services, verbs }) {
    const repo = new RoomRepo(ctx.store, ctx.secretBox);
    const registry = new RoomRegistry(ctx);
    const signalling = new RoomSignalling(repo, registry);
    const calls = roomCalls(ctx, repo, registry);
    services.provide('rooms', calls);
    const recordings = new RoomRecordings(ctx, new RoomRecordingRepo(ctx.store), registry);
    services.provide('roomsCore', { repo, registry, recordings });
    // The flow goes on once the call is out of the room.
    verbs.register('room', { schema: roomVerb, run: async (call, verb) => void (await calls.join(call, verb)) });
    await routes.register(async (app) => {
      await roomRoutes(repo, registry)(app, ctx);
      await roomRecordingRoutes(repo, recordings)(app);
      registerGuestSocket(app, signalling);
    });

    // One SignalClient per hub socket, so a socket's joined rooms are found again on each message.
    const adapters = new WeakMap<WsClient, SignalClient>();
    const adapt = (c: WsClient): SignalClient => {
      let a = adapters.get(c);
      if (!a) {
        a = { tenantId: c.principal.tenantId, userId: c.principal.userId, send: (m) => c.send(m), sendText: (t) => c.sendText(t), onClose: (l) => c.onClose(l) };
        adapters.set(c, a);
      }
      return a;
    };
    for (const kind of Object.keys(roomMessages) as (keyof typeof roomMessages)[]) {
      const handler = signalling.handlers[kind] as (c: SignalClient, m: unknown) => Promise<object>;
      ws.handle(kind, roomMessages[kind], (client, msg) => handler(adapt(client), msg));
    }
    return async () => {
      services.remove('rooms');
      services.remove('roomsCore');
      registry.closeAll();
    };
  },
};
