import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { CallsightError, type FieldIssue } from '../core/errors.js';
import { errorSpec } from '../error-catalogue.js';

/** RFC 9457 problem details, with our stable `code` and the offending fields. */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string().describe('Stable machine-readable error code'),
    detail: z.string().optional(),
    fields: z.array(z.object({ path: z.string(), message: z.string(), position: z.number().int().optional() })).optional(),
  })
  .describe('application/problem+json');

export type Problem = z.infer<typeof problemSchema>;

export class RequestValidationError extends CallsightError {
  constructor(part: string, issues: z.core.$ZodIssue[]) {
    const fields: FieldIssue[] = issues.flatMap((i) => {
      const base = [part, ...i.path.map(String)].join('.');
      if (i.code === 'unrecognized_keys') return i.keys.map((k) => ({ path: `${base}.${k}`, message: 'unknown field' }));
      return [{ path: base, message: i.message }];
    });
    super('validation_failed', `Invalid ${part}: ${fields.map((f) => f.path).join(', ')}`, { status: 400, fields });
  }
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function toProblem(err: unknown): Problem {
  if (err instanceof CallsightError) {
    return {
      type: `urn:callsight:problem:${err.code}`,
      title: errorSpec(err.code)?.title ?? TITLES[err.status] ?? 'Error',
      status: err.status,
      code: err.code,
      detail: err.message,
      ...(err.fields ? { fields: err.fields } : {}),
    };
  }
  const fe = err as FastifyError;
  if (fe && typeof fe.statusCode === 'number' && fe.statusCode < 500) {
    // Fastify's own client errors: bad JSON, wrong content type, body too large.
    const code =
      fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
        ? 'unsupported_media_type'
        : fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
          ? 'payload_too_large'
          : fe.statusCode === 404
            ? 'not_found'
            : 'malformed_request';
    return {
      type: `urn:callsight:problem:${code}`,
      title: errorSpec(code)?.title ?? TITLES[fe.statusCode] ?? 'Error',
      status: fe.statusCode,
      code,
      detail: fe.message,
    };
  }
  return { type: 'urn:callsight:problem:internal', title: errorSpec('internal')!.title, status: 500, code: 'internal', detail: 'Internal error' };
}

export function sendProblem(reply: FastifyReply, err: unknown, req?: FastifyRequest): FastifyReply {
  const problem = toProblem(err);
  if (problem.status >= 500) req?.log.error({ err }, 'request failed');
  if (problem.status === 429 && err instanceof CallsightError && err.fields?.[0]?.path === 'retryAfter') {
    reply.header('retry-after', err.fields[0].message);
  }
  return reply.code(problem.status).type('application/problem+json').send(JSON.stringify(problem));
}
