import type { BatchResult, CreateDeviceInput, CreatedDevice, Device, DeviceBatch, Emergency, EmergencySettings, UpdateDeviceInput } from '@callsight/protocol';
import { CallsightApiError } from './errors.js';
import { enc, type Send } from './request.js';

/** Emergency devices (admins register them; the key is shown once) and their emergencies. */
export function deviceMethods(send: Send) {
  return {
    list: () => send<{ items: Device[] }>('GET', '/api/devices'),
    /** The signed-in user's own devices. */
    mine: () => send<{ items: Device[] }>('GET', '/api/me/devices'),
    get: (id: string) => send<Device>('GET', `/api/devices/${enc(id)}`),
    /** The returned `key` is shown only this once. */
    create: (input: CreateDeviceInput) => send<CreatedDevice>('POST', '/api/devices', { body: input }),
    update: (id: string, input: UpdateDeviceInput) => send<Device>('PATCH', `/api/devices/${enc(id)}`, { body: input }),
    revoke: (id: string) => send<void>('DELETE', `/api/devices/${enc(id)}`),
    /** A new key (admins, or the owner): the old one stops working. */
    rotateKey: (id: string) => send<{ key: string }>('POST', `/api/devices/${enc(id)}/key`),
  };
}

export function emergencyMethods(send: Send) {
  return {
    list: (query: { active?: boolean; limit?: number } = {}) => send<{ items: Emergency[] }>('GET', '/api/emergencies', { query }),
    get: (id: string) => send<Emergency>('GET', `/api/emergencies/${enc(id)}`),
    /** During the countdown only (409 emergency_not_cancellable after). */
    cancel: (id: string) => send<Emergency>('POST', `/api/emergencies/${enc(id)}/cancel`),
    settings: () => send<EmergencySettings>('GET', '/api/emergency/settings'),
    saveSettings: (s: EmergencySettings) => send<EmergencySettings>('PUT', '/api/emergency/settings', { body: s }),
  };
}

/**
 * What a device does, with its own key (not a user's session): post data batches and
 * cancel its own countdown. `new DeviceClient({ baseUrl, key })`.
 */
export class DeviceClient {
  private readonly baseUrl: string;
  private readonly fetchFn: typeof fetch;

  constructor(private readonly opts: { baseUrl: string; key: string; fetch?: typeof fetch }) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.fetchFn = opts.fetch ?? globalThis.fetch.bind(globalThis);
  }

  private async post<T>(path: string, body?: unknown): Promise<T> {
    const res = await this.fetchFn(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.opts.key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw await CallsightApiError.fromResponse(res);
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  send(batch: DeviceBatch): Promise<BatchResult> {
    return this.post('/api/devices/data', batch);
  }

  cancel(emergencyId: string): Promise<Emergency> {
    return this.post(`/api/devices/emergencies/${enc(emergencyId)}/cancel`);
  }
}
