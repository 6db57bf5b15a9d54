/**
 * libopus 1.4 as compiled to WebAssembly by the `opusscript` package, driven directly
 * through its Emscripten module instead of opusscript's own JS wrapper, which has two
 * faults that matter on a server holding hundreds of codecs:
 *
 * - it keeps typed-array views of the wasm heap made at construction; the heap grows as
 *   more codecs are created, which detaches those views, so every earlier codec then
 *   throws on its next encode/decode;
 * - its decode output buffer is sized for 60 ms while libopus conceals a lost packet
 *   (a zero-length decode) into the full 120 ms buffer it is given: the copy overruns
 *   the heap.
 *
 * Here every call reads the module's current heap views and the buffers are sized for
 * 120 ms. The handler's C++ side moves 16-bit samples as one byte per 16-bit slot
 * (opusscript's calling convention), which `writeSamples`/`readSamples` follow.
 */
import { createRequire } from 'node:module';

interface OpusHandler {
  _encode(inputPtr: number, samples: number, outputPtr: number, frameSize: number): number;
  _decode(inputPtr: number, bytes: number, outputPtr: number): number;
  _encoder_ctl(ctl: number, arg: number): number;
  _decoder_ctl(ctl: number, arg: number): number;
}

interface OpusModule {
  OpusScriptHandler: { new (sampleRate: number, channels: number, application: number): OpusHandler; destroy_handler(h: OpusHandler): void };
  _malloc(bytes: number): number;
  _free(ptr: number): void;
  HEAPU8: Uint8Array;
  HEAPU16: Uint16Array;
  HEAP32: Int32Array;
}

let module: OpusModule | null = null;
function opusModule(): OpusModule {
  if (!module) {
    const require = createRequire(import.meta.url);
    const factory = require('opusscript/build/opusscript_native_wasm.js') as () => OpusModule;
    module = factory(); // instantiates synchronously (the .wasm is read from disk)
  }
  return module;
}

export const OPUS_APPLICATION_VOIP = 2048;
export const OPUS_APPLICATION_AUDIO = 2049;
/** RFC 6716: the most audio one packet can carry (120 ms) and the largest packet. */
const MAX_FRAME_SAMPLES_48K = 5760;
export const OPUS_MAX_PACKET_BYTES = 1276 * 3;

export const OpusCtl = {
  SET_BITRATE: 4002,
  SET_MAX_BANDWIDTH: 4004,
  SET_VBR: 4006,
  SET_COMPLEXITY: 4010,
  SET_INBAND_FEC: 4012,
  SET_PACKET_LOSS_PERC: 4014,
  SET_DTX: 4016,
  SET_SIGNAL: 4024,
  GET_LOOKAHEAD: 4027,
  RESET_STATE: 4028,
} as const;
export const OPUS_SIGNAL_VOICE = 3001;

export class OpusWasmError extends Error {
  constructor(
    readonly op: string,
    readonly status: number,
  ) {
    super(`opus ${op} failed (${status})`);
  }
}

/** One libopus encoder + decoder pair (opusscript creates both per handler). */
export class OpusWasm {
  private readonly m = opusModule();
  private readonly handler: OpusHandler;
  private readonly pcmPtr: number;
  private readonly packetPtr: number;
  private readonly intPtr: number;
  private readonly maxSamples: number;
  private closed = false;

  constructor(
    readonly sampleRate: 8000 | 12000 | 16000 | 24000 | 48000,
    readonly channels: 1 | 2,
    application: number,
  ) {
    this.handler = new this.m.OpusScriptHandler(sampleRate, channels, application);
    // Interleaved samples in 120 ms at 48 kHz (libopus never returns more), two slots each.
    this.maxSamples = MAX_FRAME_SAMPLES_48K * channels;
    this.pcmPtr = this.m._malloc(this.maxSamples * 2 * 2);
    this.packetPtr = this.m._malloc(OPUS_MAX_PACKET_BYTES);
    this.intPtr = this.m._malloc(4);
  }

  /** Encodes `frameSize` samples per channel of interleaved `pcm`; returns the packet (a view, valid until the next call). */
  encode(pcm: Int16Array, frameSize: number): Uint8Array {
    const n = frameSize * this.channels;
    const slots = this.m.HEAPU16;
    let p = this.pcmPtr >> 1;
    for (let i = 0; i < n; i++) {
      const s = pcm[i];
      slots[p++] = s & 0xff;
      slots[p++] = (s >> 8) & 0xff;
    }
    const len = this.handler._encode(this.pcmPtr, n, this.packetPtr, frameSize);
    if (len < 0) throw new OpusWasmError('encode', len);
    return this.m.HEAPU8.subarray(this.packetPtr, this.packetPtr + len);
  }

  /**
   * Decodes one packet (an empty one conceals a lost packet: libopus then renders as
   * much as fits, 120 ms). Returns samples per channel written to `out`, which must hold
   * 120 ms interleaved at this rate; negative libopus status on a corrupt packet.
   */
  decode(packet: Uint8Array, out: Int16Array): number {
    if (packet.length > OPUS_MAX_PACKET_BYTES) return -4; // OPUS_INVALID_PACKET
    this.m.HEAPU8.set(packet, this.packetPtr);
    const frames = this.handler._decode(this.packetPtr, packet.length, this.pcmPtr);
    if (frames < 0) return frames;
    const slots = this.m.HEAPU16;
    const n = Math.min(frames * this.channels, out.length);
    let p = this.pcmPtr >> 1;
    for (let i = 0; i < n; i++) {
      out[i] = slots[p] | (slots[p + 1] << 8); // Int16Array stores the low 16 bits: sign restored
      p += 2;
    }
    return frames;
  }

  /** Samples per channel in 120 ms: the size `decode`'s output must have (times channels). */
  get maxFrameSamples(): number {
    return (MAX_FRAME_SAMPLES_48K * this.sampleRate) / 48000;
  }

  encoderCtl(ctl: number, arg: number): void {
    const r = this.handler._encoder_ctl(ctl, arg);
    if (r < 0) throw new OpusWasmError(`encoder ctl ${ctl}`, r);
  }

  decoderCtl(ctl: number, arg: number): void {
    const r = this.handler._decoder_ctl(ctl, arg);
    if (r < 0) throw new OpusWasmError(`decoder ctl ${ctl}`, r);
  }

  /** A GET ctl: libopus writes the value through the pointer passed as the argument. */
  encoderGet(ctl: number): number {
    this.encoderCtl(ctl, this.intPtr);
    return this.m.HEAP32[this.intPtr >> 2];
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.m.OpusScriptHandler.destroy_handler(this.handler);
    this.m._free(this.pcmPtr);
    this.m._free(this.packetPtr);
    this.m._free(this.intPtr);
  }
}
