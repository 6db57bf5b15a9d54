import { CallsightApiError, type Problem } from '@callsight/sdk';

/** The branding REST API (the SDK does not cover it yet); errors arrive as the SDK's problem errors. */
export interface Brand {
  id: string;
  name: string;
  logoUrl: string | null;
  reasons: string[];
  numbers: string[];
  content: { kind: 'order' | 'appointment' | 'message'; title: string };
  createdAt: number;
}

export interface BrandInput {
  name: string;
  logo?: { dataBase64: string; mime: string } | { url: string } | null;
  reasons: string[];
  numbers: string[];
  content: Brand['content'];
}

export interface TestCallResult {
  callId: string;
  interactionId: string;
  delivered: number;
  verification: { verstat: string; reasons: string[] };
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 204) return undefined as T;
  const json: unknown = await res.json().catch(() => null);
  if (!res.ok) throw new CallsightApiError((json as Problem | null) ?? ({ status: res.status, code: 'http_error', title: res.statusText } as Problem));
  return json as T;
}

export const brandingApi = {
  list: () => call<{ items: Brand[] }>('GET', '/api/branding/brands'),
  create: (input: BrandInput) => call<Brand>('POST', '/api/branding/brands', input),
  remove: (id: string) => call<void>('DELETE', `/api/branding/brands/${encodeURIComponent(id)}`),
  testCall: (input: { brandId: string; userId: string; reason?: string; content?: Record<string, string>; mode: 'verified' | 'unsigned' | 'spoofed' }) =>
    call<TestCallResult>('POST', '/api/branding/test-call', input),
};
