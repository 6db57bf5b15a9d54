/** Query values; arrays travel comma-separated. */
export type Query = Record<string, string | number | boolean | string[] | undefined>;

/**
 * The client's authenticated JSON request, which every group of methods is built
 * on: throws `CallsightApiError` on a non-2xx answer, resolves undefined on 204,
 * and resolves the body as text when `accept` is not JSON (e.g. text/csv).
 */
export type Send = <T>(method: string, path: string, opts?: { query?: Query; body?: unknown; accept?: string }) => Promise<T>;

export const enc = encodeURIComponent;
