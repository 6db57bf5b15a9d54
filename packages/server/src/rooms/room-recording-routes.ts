import { join } from 'node:path';
import { z } from 'zod';
import { conflict, notFound } from '../core/errors.js';
import { idParam } from '../http/common-schemas.js';
import type { HttpApp } from '../http/http-types.js';
import { sendFileWithRanges } from '../http/send-file-range.js';
import type { RoomRecording } from './room-recording-repo.js';
import type { RoomRecordings } from './room-recordings.js';
import type { RoomRepo } from './room-repo.js';

const recordingSchema = z.object({
  id: z.string(),
  roomId: z.string(),
  startedAt: z.number(),
  durationSeconds: z.number().nullable(),
  tracks: z.array(z.object({ participantId: z.string(), name: z.string(), url: z.string() })),
  url: z.string(),
});
const recParams = idParam('room').extend({ recId: z.string().regex(/^rrec_[0-9a-z]{26}$/, 'must be an rrec_… id') }).strict();
const trackParams = recParams.extend({ participantId: z.string().regex(/^ptc_[0-9a-z]{26}$/, 'must be a ptc_… id') }).strict();
const OGG_OPUS = 'audio/ogg; codecs=opus';

/**
 * Room recordings: started and stopped by staff while the room is live, kept as Ogg/Opus
 * files (mixed, and one per speaker) served with byte ranges so an <audio> element can
 * seek (the running ones are the RoomRecordings service's). Everything is scoped to a room the caller may see: another tenant's gets 404.
 */
export function roomRecordingRoutes(rooms: RoomRepo, recordings: RoomRecordings) {
  return async function routes(app: HttpApp): Promise<void> {
    const base = (roomId: string, id: string) => `/api/rooms/${roomId}/recordings/${id}`;
    const view = (r: RoomRecording) => ({
      id: r.id,
      roomId: r.roomId,
      startedAt: r.startedAt,
      durationSeconds: r.durationSeconds,
      tracks: r.tracks.map((t) => ({ participantId: t.participantId, name: t.name, url: `${base(r.roomId, r.id)}/tracks/${t.participantId}` })),
      url: `${base(r.roomId, r.id)}/mixed`,
    });
    const visibleRoom = async (tenantId: string, roomId: string) => {
      const room = await rooms.get(tenantId, roomId);
      if (!room) throw notFound('Room');
      return room;
    };
    const recording = async (tenantId: string, roomId: string, recId: string) => {
      await visibleRoom(tenantId, roomId);
      const rec = await recordings.repo.get(tenantId, roomId, recId);
      if (!rec) throw notFound('Recording');
      return rec;
    };

    app.post(
      '/api/rooms/:id/recordings',
      { config: { role: 'agent' }, schema: { tags: ['rooms'], summary: 'Start recording a live room (Ogg/Opus: mixed and per speaker)', params: idParam('room'), response: { 201: recordingSchema } } },
      async (req, reply) => {
        const room = await visibleRoom(req.principal.tenantId, req.params.id);
        return reply.code(201).send(view(await recordings.start(room, { TITLE: room.name })));
      },
    );

    app.post(
      '/api/rooms/:id/recordings/:recId/stop',
      { config: { role: 'agent' }, schema: { tags: ['rooms'], summary: 'Stop a room recording', params: recParams, response: { 200: recordingSchema } } },
      async (req) => {
        const { tenantId } = req.principal;
        const rec = await recording(tenantId, req.params.id, req.params.recId);
        if (recordings.runningIn(rec.roomId) !== rec.id) throw conflict('room_not_recording', 'This recording is not running');
        await recordings.stop(rec.roomId);
        return view((await recordings.repo.get(tenantId, rec.roomId, rec.id))!);
      },
    );

    app.get(
      '/api/rooms/:id/recordings',
      { config: { role: 'agent' }, schema: { tags: ['rooms'], summary: "A room's recordings", params: idParam('room'), response: { 200: z.object({ items: z.array(recordingSchema) }) } } },
      async (req) => {
        await visibleRoom(req.principal.tenantId, req.params.id);
        return { items: (await recordings.repo.list(req.principal.tenantId, req.params.id)).map(view) };
      },
    );

    app.get(
      '/api/rooms/:id/recordings/:recId/mixed',
      { config: { role: 'agent' }, schema: { tags: ['rooms'], summary: 'The mixed track (audio/ogg Opus; byte ranges supported, also while recording)', params: recParams } },
      async (req, reply) => {
        const rec = await recording(req.principal.tenantId, req.params.id, req.params.recId);
        return sendFileWithRanges(req, reply, join(rec.dir, 'mixed.opus'), OGG_OPUS);
      },
    );

    app.get(
      '/api/rooms/:id/recordings/:recId/tracks/:participantId',
      { config: { role: 'agent' }, schema: { tags: ['rooms'], summary: "One speaker's track (audio/ogg Opus; byte ranges supported)", params: trackParams } },
      async (req, reply) => {
        const rec = await recording(req.principal.tenantId, req.params.id, req.params.recId);
        const track = rec.tracks.find((t) => t.participantId === req.params.participantId);
        if (!track) throw notFound('Track');
        return sendFileWithRanges(req, reply, join(rec.dir, track.file), OGG_OPUS);
      },
    );

    app.addHook('onClose', () => recordings.stopAll());
  };
}
