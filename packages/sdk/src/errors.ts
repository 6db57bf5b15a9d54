import type { FieldIssue, Problem } from '@callsight/protocol';
import type { ErrorCode } from './error-codes.js';

/**
 * The `code` of a failed API call: one of the server's stable codes (docs/errors.md), or
 * `http_<status>` when the answer was not problem+json (e.g. a proxy's 502 page). A server
 * newer than this SDK may send a code added after it.
 */
export type ApiErrorCode = ErrorCode | `http_${number}`;

/** An HTTP API call failed; `code` is the server's stable error code. */
export class CallsightApiError extends Error {
  override name = 'CallsightApiError';
  readonly status: number;
  readonly code: ApiErrorCode;
  /** The offending request fields on validation errors (`body.email`…). */
  readonly fields: FieldIssue[];
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ?? problem.title);
    this.problem = problem;
    this.status = problem.status;
    this.code = problem.code as ApiErrorCode;
    this.fields = problem.fields ?? [];
  }

  /** Builds the error from any failed response, problem+json or not (e.g. a proxy's 502 page). */
  static async fromResponse(res: Response): Promise<CallsightApiError> {
    const text = await res.text().catch(() => '');
    try {
      const body = JSON.parse(text) as Partial<Problem>;
      if (typeof body.code === 'string') {
        return new CallsightApiError({
          type: body.type ?? 'about:blank',
          title: body.title ?? res.statusText,
          status: body.status ?? res.status,
          code: body.code,
          detail: body.detail,
          fields: body.fields,
        });
      }
    } catch {
      // Not JSON: fall through to a generic problem.
    }
    return new CallsightApiError({
      type: 'about:blank',
      title: res.statusText || `HTTP ${res.status}`,
      status: res.status,
      code: `http_${res.status}`,
      detail: text.slice(0, 200) || undefined,
    });
  }
}

/** A realtime request was answered with `{kind:'error'}`, timed out, or its socket went away. */
export class CallsightRealtimeError extends Error {
  override name = 'CallsightRealtimeError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
