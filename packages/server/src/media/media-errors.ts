import type { ErrorSpecs } from '../core/error-spec.js';

/** Codes of the media layer: RTP ports and sessions, DTMF, WAV, text to speech. */
export const MEDIA_ERRORS = {
  media_port_range_invalid: { status: 500, title: 'The RTP port range is invalid' },
  media_ports_exhausted: { status: 503, title: 'No RTP port is free' },
  media_port_bind_failed: { status: 503, title: 'An RTP port could not be opened' },
  media_rtcp_mux_mismatch: { status: 409, title: 'The peers disagree on RTCP multiplexing' },
  dtmf_invalid_digit: { status: 400, title: 'Not a DTMF digit' },
  dtmf_duration_out_of_range: { status: 400, title: 'The DTMF duration is out of range' },
  dtmf_not_negotiated: { status: 409, title: 'The peer did not negotiate telephone-event' },
  wav_invalid: { status: 400, title: 'Not a WAV file' },
  wav_unsupported_format: { status: 400, title: 'This WAV format is not supported' },
  wav_writer_closed: { status: 409, title: 'The recording is already closed' },
  tts_empty_text: { status: 400, title: 'There is no text to speak' },
  tts_text_too_long: { status: 400, title: 'The text to speak is too long' },
  tts_invalid_voice: { status: 400, title: 'Unknown voice' },
  tts_invalid_rate: { status: 400, title: 'The speaking rate is out of range' },
  tts_unavailable: { status: 503, title: 'Text to speech is not installed' },
  tts_failed: { status: 500, title: 'Text to speech failed' },
} as const satisfies ErrorSpecs;
