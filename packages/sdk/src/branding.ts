import type { Brand, BrandingPolicy, BrandInput, TestCallInput, TestCallResult } from '@callsight/protocol';
import { enc, type Send } from './request.js';

/** Brands: the name, logo and reasons a verified call from one of their numbers shows. */
export function brandMethods(send: Send) {
  return {
    list: () => send<{ items: Brand[] }>('GET', '/api/branding/brands'),
    create: (input: BrandInput) => send<Brand>('POST', '/api/branding/brands', { body: input }),
    update: (id: string, input: Partial<BrandInput>) => send<Brand>('PATCH', `/api/branding/brands/${enc(id)}`, { body: input }),
    remove: (id: string) => send<void>('DELETE', `/api/branding/brands/${enc(id)}`),
  };
}

/** Branded calling beyond brands: the app key that signs call metadata, and test calls. */
export function brandingMethods(send: Send) {
  return {
    /** The tenant's app key (public JWK) that signs call metadata: pass it to `verifyCallMetadata`. */
    appKey: () => send<JsonWebKey>('GET', '/api/branding/app-key'),
    /** Which attestations show a brand, and whether unverified caller names pass through. */
    policy: () => send<BrandingPolicy>('GET', '/api/branding/policy'),
    setPolicy: (policy: BrandingPolicy) => send<BrandingPolicy>('PUT', '/api/branding/policy', { body: policy }),
    /** Rings a user's phone app with a signed preview (verified, unsigned or spoofed). */
    testCall: (input: TestCallInput) => send<TestCallResult>('POST', '/api/branding/test-call', { body: input }),
  };
}
