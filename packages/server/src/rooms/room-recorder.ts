/**
 * Records a live room as Ogg/Opus: one mixed track (every publisher summed) and one track
 * per speaker, all on the same timeline — a speaker who joins late or stops sending has
 * silence in their track — so the tracks can be replayed together or alone. Each
 * publisher's audio is decoded (Opus or PCMU, the room's codec) at 48 kHz by one mixer,
 * once per media-clock tick; a tick where someone sent nothing costs a one-byte packet.
 */
import { join } from 'node:path';
import type { RtpPacket } from 'werift';
import type { MediaClock } from '../media/clock.js';
import { OggOpusFileWriter } from '../media/ogg-opus-file.js';
import type { LiveRoom } from './live-room.js';
import { RoomMixer } from './room-mixer.js';

export interface RoomTrack {
  participantId: string;
  name: string;
  file: string;
  /** Seconds into the recording at which they were first heard (absent in recordings made before it was kept). */
  startSeconds?: number;
}

export interface RoomRecordingResult {
  durationSeconds: number;
  tracks: RoomTrack[];
}

export class RoomRecorder {
  private readonly mixer: RoomMixer;
  private readonly tracks = new Map<string, { info: RoomTrack; writer: Promise<OggOpusFileWriter>; ready: OggOpusFileWriter | null; pendingGap: number }>();
  private ticks = 0;
  private readonly stopTap: () => void;
  private readonly stopClock: () => void;
  private stopped: Promise<RoomRecordingResult> | null = null;

  private constructor(
    live: LiveRoom,
    clock: MediaClock,
    private readonly dir: string,
    private readonly mixed: OggOpusFileWriter,
    private readonly onRoomClosed: () => void,
  ) {
    this.mixer = new RoomMixer(live.room.audioCodec, 48000);
    this.stopTap = live.addAudioTap({ onPacket: (id, name, packet) => this.onPacket(id, name, packet), onClose: () => this.onRoomClosed() });
    this.stopClock = clock.subscribe(() => this.tick());
  }

  static async start(live: LiveRoom, clock: MediaClock, dir: string, tags: Record<string, string>, onRoomClosed: () => void): Promise<RoomRecorder> {
    const mixed = await OggOpusFileWriter.create(join(dir, 'mixed.opus'), { sampleRate: 48000, tags });
    return new RoomRecorder(live, clock, dir, mixed, onRoomClosed);
  }

  private onPacket(participantId: string, name: string, packet: RtpPacket): void {
    if (!this.tracks.has(participantId)) {
      const info: RoomTrack = { participantId, name, file: `${participantId}.opus`, startSeconds: this.mixed.durationSeconds };
      // A late speaker's track starts with silence up to now, so every track shares the timeline.
      const entry = { info, writer: OggOpusFileWriter.create(join(this.dir, info.file), { sampleRate: 48000, tags: { ARTIST: name } }), ready: null as OggOpusFileWriter | null, pendingGap: this.ticks };
      void entry.writer.then((w) => (entry.ready = w)).catch(() => this.tracks.delete(participantId));
      this.tracks.set(participantId, entry);
    }
    this.mixer.receive(participantId, packet);
  }

  private tick(): void {
    this.ticks++;
    const heard = new Set<string>();
    const mix = this.mixer.mix(undefined, (id, frame) => {
      const track = this.tracks.get(id);
      if (!track) return;
      heard.add(id);
      if (!track.ready) {
        track.pendingGap++; // the file is being opened: its first frames are silence
        return;
      }
      track.ready.writeGap(track.pendingGap);
      track.pendingGap = 0;
      if (frame) track.ready.write(frame);
      else track.ready.writeGap(1);
    });
    this.mixed.write(mix);
    // A speaker gone quiet long enough for the mixer to drop them still keeps time.
    for (const [id, track] of this.tracks) if (!heard.has(id)) track.pendingGap++;
  }

  get durationSeconds(): number {
    return this.mixed.durationSeconds;
  }

  /** Stops and finalises every file. Idempotent. */
  stop(): Promise<RoomRecordingResult> {
    this.stopped ??= (async () => {
      this.stopTap();
      this.stopClock();
      this.mixer.close();
      const tracks: RoomTrack[] = [];
      for (const track of this.tracks.values()) {
        const writer = await track.writer.catch(() => null);
        if (!writer) continue;
        writer.writeGap(track.pendingGap);
        await writer.close();
        tracks.push(track.info);
      }
      await this.mixed.close();
      return { durationSeconds: this.mixed.durationSeconds, tracks };
    })();
    return this.stopped;
  }
}
