import type { ErrorSpecs } from '../core/error-spec.js';

/** Codes of audio rooms. */
export const ROOMS_ERRORS = {
  invalid_join_token: { status: 401, title: 'The room link is not valid' },
  room_closed: { status: 409, title: 'The room is closed' },
  room_full: { status: 409, title: 'The room is full' },
  /** No longer raised: phones join Opus rooms, transcoded. Kept because codes are never removed. */
  room_needs_pcmu: { status: 409, title: 'Phone callers can only join a PCMU room' },
  publish_not_allowed: { status: 403, title: 'Listeners cannot speak in this room' },
  video_not_allowed: { status: 400, title: 'This room is audio only' },
  not_publishing: { status: 409, title: 'The participant is not sending media' },
  invalid_subscription: { status: 400, title: 'A participant cannot listen to itself' },
  room_not_live: { status: 409, title: 'Nobody is in the room yet' },
  room_already_recording: { status: 409, title: 'The room is already being recorded' },
  room_not_recording: { status: 409, title: 'This room recording is not running' },
  layout_not_allowed: { status: 403, title: 'Only a host can change the layout' },
  layout_not_supported: { status: 409, title: 'Audio rooms have no layout' },
  unknown_participant: { status: 404, title: 'That participant is not in the room' },
} as const satisfies ErrorSpecs;
