/** Query values; arrays travel comma-separated. */
export type Query = Record<string, string | number | boolean | string[] | undefined>;

/**
 * The client's authenticated JSON request, which every group of methods is built
 * on: throws `CallsightApiError` on a non-2xx answer, resolves undefined on 204.
 */
export type Send = <T>(method: string, path: string, opts?: { query?: Query; body?: unknown }) => Promise<T>;

export const enc = encodeURIComponent;
