import { callMethods } from './calls.js';
import { cardMethods } from './cards.js';
import { roomMethods } from './webrtc/room-api.js';
import { CallsightApiError } from './errors.js';
import { EventStream, type EventStreamOptions, type WebSocketConstructor } from './event-stream.js';
import type {
  ApiKey,
  CallsightEvent,
  Channel,
  CreateApiKeyInput,
  CreatedApiKey,
  CreatedWebhook,
  CreateUserInput,
  CreateWebhookInput,
  EventQuery,
  Interaction,
  InteractionQuery,
  LoginResult,
  Me,
  Page,
  Role,
  StreamFilter,
  UpdateUserInput,
  User,
  Webhook,
  WebhookDelivery,
} from './types.js';

export interface CallsightClientOptions {
  /** Server origin, e.g. `https://calls.example.com` or `location.origin`. */
  baseUrl: string;
  /** `csk_…`; without one the client uses the session cookie set by `login()`. */
  apiKey?: string;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  /**
   * Defaults to the global WebSocket. Node 20 has none: pass `WebSocket` from the
   * `ws` package (`import WebSocket from 'ws'`), which also lets API keys and
   * cookies travel as headers.
   */
  WebSocket?: WebSocketConstructor;
}

type Query = Record<string, string | number | string[] | undefined>;

/**
 * Typed client for the callsight REST + WebSocket API, for browsers and Node ≥ 20.
 *
 * In a browser the session cookie is handled by the browser. In Node, fetch has
 * no cookie jar, so the client keeps the `cs_session` cookie from `login()` itself.
 */
export class CallsightClient {
  private readonly baseUrl: string;
  private readonly apiKey: string | undefined;
  private readonly fetchFn: typeof fetch;
  private readonly WebSocketCtor: WebSocketConstructor | undefined;
  private readonly cookies = new Map<string, string>();

  constructor(opts: CallsightClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.apiKey = opts.apiKey;
    // Bound: browsers throw "Illegal invocation" when fetch is called as a method of another object.
    this.fetchFn = opts.fetch ?? globalThis.fetch.bind(globalThis);
    this.WebSocketCtor = opts.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  }

  /** Logs in with email and password; the session cookie authenticates later calls. */
  login(email: string, password: string): Promise<LoginResult> {
    return this.request('POST', '/api/auth/login', { body: { email, password } });
  }

  async logout(): Promise<void> {
    await this.request<void>('POST', '/api/auth/logout');
    this.cookies.clear();
  }

  me(): Promise<Me> {
    return this.request('GET', '/api/me');
  }

  readonly users = {
    list: (query: { role?: Role } = {}): Promise<{ items: User[] }> => this.request('GET', '/api/users', { query }),
    create: (input: CreateUserInput): Promise<User> => this.request('POST', '/api/users', { body: input }),
    get: (id: string): Promise<User> => this.request('GET', `/api/users/${enc(id)}`),
    update: (id: string, input: UpdateUserInput): Promise<User> => this.request('PATCH', `/api/users/${enc(id)}`, { body: input }),
  };

  readonly apiKeys = {
    list: (): Promise<{ items: ApiKey[] }> => this.request('GET', '/api/api-keys'),
    /** The returned `key` is shown only this once. */
    create: (input: CreateApiKeyInput): Promise<CreatedApiKey> => this.request('POST', '/api/api-keys', { body: input }),
    revoke: (id: string): Promise<void> => this.request('DELETE', `/api/api-keys/${enc(id)}`),
  };

  readonly webhooks = {
    list: (): Promise<{ items: Webhook[] }> => this.request('GET', '/api/webhooks'),
    /** The returned `secret` is shown only this once. */
    create: (input: CreateWebhookInput): Promise<CreatedWebhook> => this.request('POST', '/api/webhooks', { body: input }),
    remove: (id: string): Promise<void> => this.request('DELETE', `/api/webhooks/${enc(id)}`),
    deliveries: (id: string, query: { limit?: number } = {}): Promise<{ items: WebhookDelivery[] }> =>
      this.request('GET', `/api/webhooks/${enc(id)}/deliveries`, { query }),
  };

  readonly events = {
    /** One page of the tenant's event log, oldest first. */
    list: (query: EventQuery = {}): Promise<Page<CallsightEvent>> => this.request('GET', '/api/events', { query: { ...query } }),
    /** Every matching event, following cursors page by page. */
    all: (query: Omit<EventQuery, 'cursor'> = {}): AsyncIterableIterator<CallsightEvent> => this.allEvents(query),
  };

  readonly interactions = {
    list: (query: InteractionQuery = {}): Promise<Page<Interaction>> => this.request('GET', '/api/interactions', { query: { ...query } }),
    get: (id: string): Promise<Interaction> => this.request('GET', `/api/interactions/${enc(id)}`),
    /** Staff: opens an interaction for a customer (calls and chats open theirs themselves). */
    create: (input: { channel: Channel; customerId?: string; subject?: string }): Promise<Interaction> =>
      this.request('POST', '/api/interactions', { body: input }),
    timeline: (id: string, query: { limit?: number } = {}): Promise<{ items: CallsightEvent[] }> =>
      this.request('GET', `/api/interactions/${enc(id)}/timeline`, { query }),
  };

  /** Calls: originate, control live calls (say, play, hold, transfer, record…), list, your own history. */
  readonly calls = callMethods((method, path, opts) => this.request(method, path, opts));

  readonly branding = {
    /** The tenant's app key (public JWK) that signs call metadata: pass it to `verifyCallMetadata`. */
    appKey: (): Promise<JsonWebKey> => this.request('GET', '/api/branding/app-key'),
  };

  /** Confirm cards pushed to a customer's screen during a call, their answers and the hash-chained record. */
  readonly cards = cardMethods((method, path, opts) => this.request(method, path, opts));

  /** Rooms (SFU): create, mint join tokens, moderate. Join and media go through `Room`. */
  readonly rooms = roomMethods((method, path, opts) => this.request(method, path, opts));

  /** Opens a live event stream on /api/ws; it reconnects until `close()`. */
  realtime(filter: StreamFilter = {}, opts: Omit<EventStreamOptions, 'connect' | 'filter'> = {}): EventStream {
    const Ctor = this.WebSocketCtor;
    if (!Ctor) throw new Error('No WebSocket implementation: pass the `ws` package as the WebSocket option in Node 20');
    return new EventStream({
      ...opts,
      filter,
      connect: (current) => {
        const url = new URL(`${this.baseUrl}/api/ws`);
        url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
        if (current.types?.length) url.searchParams.set('types', current.types.join(','));
        if (current.interactionId) url.searchParams.set('interactionId', current.interactionId);
        const headers = this.authHeaders();
        return new Ctor(url.toString(), undefined, Object.keys(headers).length ? { headers } : undefined);
      },
    });
  }

  private async *allEvents(query: Omit<EventQuery, 'cursor'>): AsyncIterableIterator<CallsightEvent> {
    let cursor: string | undefined;
    do {
      const page = await this.events.list({ ...query, cursor });
      yield* page.items;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }

  private authHeaders(): Record<string, string> {
    const headers: Record<string, string> = {};
    if (this.apiKey) headers.authorization = `Bearer ${this.apiKey}`;
    else if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    return headers;
  }

  private async request<T>(method: string, path: string, opts: { query?: Query; body?: unknown } = {}): Promise<T> {
    const url = new URL(this.baseUrl + path);
    for (const [key, value] of Object.entries(opts.query ?? {})) {
      if (value === undefined) continue;
      url.searchParams.set(key, Array.isArray(value) ? value.join(',') : String(value));
    }
    const headers: Record<string, string> = { accept: 'application/json', ...this.authHeaders() };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const res = await this.fetchFn(url, {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
    this.storeCookies(res);
    if (!res.ok) throw await CallsightApiError.fromResponse(res);
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }

  /** Node only: browsers hide Set-Cookie from scripts and manage the cookie themselves. */
  private storeCookies(res: Response): void {
    const setCookies = res.headers.getSetCookie?.() ?? [];
    for (const line of setCookies) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq < 1) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]) <= Date.now()));
      if (!value || expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

const enc = encodeURIComponent;
