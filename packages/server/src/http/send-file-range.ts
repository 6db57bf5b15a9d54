/**
 * Sends a file with HTTP range support (RFC 9110 §14): `Accept-Ranges: bytes`, one
 * `bytes=a-b` / `a-` / `-n` range answered 206 with Content-Range, an unsatisfiable one
 * 416. Browsers' <audio> elements fetch recordings this way to learn the duration and to
 * seek. Multi-range requests get the whole file (allowed: a server may ignore Range).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../core/errors.js';

export async function sendFileWithRanges(req: FastifyRequest, reply: FastifyReply, path: string, type: string): Promise<FastifyReply> {
  const size = await stat(path).then(
    (s) => s.size,
    () => {
      throw notFound('Recording');
    },
  );
  reply.header('accept-ranges', 'bytes').type(type);
  const range = parseRange(req.headers.range, size);
  if (range === 'unsatisfiable') {
    return reply.code(416).header('content-range', `bytes */${size}`).send();
  }
  if (!range) return reply.header('content-length', size).send(createReadStream(path));
  const [start, end] = range;
  return reply
    .code(206)
    .header('content-range', `bytes ${start}-${end}/${size}`)
    .header('content-length', end - start + 1)
    .send(createReadStream(path, { start, end }));
}

/** The one byte range asked for, inclusive, or null for the whole file. */
export function parseRange(header: string | undefined, size: number): [number, number] | null | 'unsatisfiable' {
  const m = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!m || (m[1] === '' && m[2] === '')) return null;
  let start: number;
  let end: number;
  if (m[1] === '') {
    // Suffix range: the last n bytes.
    const n = Number(m[2]);
    if (n === 0) return 'unsatisfiable';
    start = Math.max(0, size - n);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
    if (m[2] !== '' && Number(m[2]) < start) return null; // invalid: ignored, as RFC 9110 allows
  }
  if (start >= size) return 'unsatisfiable';
  return [start, end];
}
