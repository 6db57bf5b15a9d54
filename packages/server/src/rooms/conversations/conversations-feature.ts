import type { Feature } from '../../core/feature.js';
import '../rooms-core.js';
import { ConversationRepo } from './conversation-repo.js';
import { conversationRoutes } from './conversation-routes.js';
import { ConversationService } from './conversation-service.js';
import { conversationVerb, runConversationVerb } from './conversation-verb.js';

/**
 * Social audio conversations on rooms: start one with people (in-app ring, SMS link),
 * a feed of live ones to listen to, raised hands and promotion without reconnecting,
 * moderation. Its own feature, over the rooms' store and live registry.
 */
export const conversationsFeature: Feature = {
  name: 'conversations',
  needs: ['roomsCore', 'rooms'],
  uses: ['sms'],
  async setup(ctx, { routes, ws, services, verbs, baseUrl }) {
    const repo = new ConversationRepo(ctx.store);
    const service = new ConversationService(ctx, repo, services.get('roomsCore'), ws, (id) => `${baseUrl()}/phone/#conversation=${id}`);
    verbs.register('conversation', { schema: conversationVerb, run: runConversationVerb(repo, () => services.get('rooms')) });
    await routes.register(conversationRoutes(service));
    // Joins and leaves of this process's rooms: the info follows the audience, and an empty room ends its conversation.
    const sub = await ctx.bus.subscribe({ types: ['room.joined', 'room.left'] }, (e) => {
      const roomId = (e.data as { roomId: string }).roomId;
      void service.onRoomEvent(roomId).catch((err: unknown) => ctx.log.warn({ err, roomId }, 'conversation room event failed'));
    });
    const offRecordings = services.get('roomsCore').recordings.onFinished((rec) => {
      void service.onRecordingFinished(rec).catch((err: unknown) => ctx.log.warn({ err, roomId: rec.roomId }, 'conversation replay not announced'));
    });
    return async () => {
      offRecordings();
      await sub.unsubscribe();
      service.stop();
    };
  },
};
