import type {
  IceConfig,
  AnyEvent,
  ApiKey,
  Channel,
  CreateApiKeyInput,
  CreatedApiKey,
  CreatedWebhook,
  CreateUserInput,
  CreateWebhookInput,
  EventQuery,
  Interaction,
  InteractionDetail,
  InteractionPage,
  InteractionQuery,
  LoginResult,
  PasswordResetLink,
  DemoInfo,
  Me,
  Page,
  Role,
  StreamFilter,
  UpdateUserInput,
  User,
  Webhook,
  WebhookDelivery,
} from '@callsight/protocol';
import { accessMethods } from './access.js';
import { brandingMethods, brandMethods } from './branding.js';
import { callMethods } from './calls.js';
import { cardMethods } from './cards.js';
import { ingestMethods, ruleMethods } from './rules.js';
import { vaultMethods } from './vault.js';
import { rewardMethods } from './rewards.js';
import { CallsightApiError } from './errors.js';
import { EventStream, type EventStreamOptions, type WebSocketConstructor } from './event-stream.js';
import { callbackMethods, deflectionMethods, smsMethods } from './messaging.js';
import { deviceMethods, emergencyMethods } from './emergency.js';
import type { Query, Send } from './request.js';
import { chatMethods, queueMethods, workMethods } from './routing.js';
import { deskMethods } from './desk.js';
import { flowMethods, numberMethods, sipAccountMethods, trunkMethods } from './telephony.js';
import { roomMethods } from './webrtc/room-api.js';
import { conversationMethods } from './conversations.js';

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
  /** The one authenticated request every method group below is built on (declared first: fields initialise in order). */
  private readonly send: Send = (method, path, opts) => this.request(method, path, opts);

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

  /** Sends a reset link by SMS when the account has a phone number; resolves the same whether or not it exists. */
  requestPasswordReset(email: string): Promise<void> {
    return this.request('POST', '/api/auth/password-reset/request', { body: { email } });
  }

  /** Chooses a new password with the token of a reset link (`#reset=…`); every session of the user ends. */
  resetPassword(token: string, password: string): Promise<void> {
    return this.request('POST', '/api/auth/password-reset', { body: { token, password } });
  }

  async logout(): Promise<void> {
    await this.request<void>('POST', '/api/auth/logout');
    this.cookies.clear();
  }

  me(): Promise<Me> {
    return this.request('GET', '/api/me');
  }

  /** The demo tenant's logins while the server seeds it (no login needed); `enabled: false` otherwise. */
  demo(): Promise<DemoInfo> {
    return this.request('GET', '/api/demo');
  }

  readonly users = {
    list: (query: { role?: Role } = {}): Promise<{ items: User[] }> => this.request('GET', '/api/users', { query }),
    create: (input: CreateUserInput): Promise<User> => this.request('POST', '/api/users', { body: input }),
    get: (id: string): Promise<User> => this.request('GET', `/api/users/${enc(id)}`),
    update: (id: string, input: UpdateUserInput): Promise<User> => this.request('PATCH', `/api/users/${enc(id)}`, { body: input }),
    /** Erases the user (their name becomes "Former user" in history) and ends their sessions. */
    remove: (id: string): Promise<void> => this.request('DELETE', `/api/users/${enc(id)}`),
    /** A one-time link (one hour) for the user to choose a new password; its URL is shown only in this answer. */
    passwordResetLink: (id: string): Promise<PasswordResetLink> => this.request('POST', `/api/users/${enc(id)}/password-reset`),
  };

  readonly rtc = {
    /**
     * STUN/TURN servers for an RTCConfiguration (a SIP.js/JsSIP phone's `iceServers`): TURN
     * credentials made for you that stop working at `expiresAt`; ask again before then.
     */
    ice: (): Promise<IceConfig> => this.request('GET', '/api/rtc/ice'),
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
    list: (query: EventQuery = {}): Promise<Page<AnyEvent>> => this.request('GET', '/api/events', { query: { ...query } }),
    /** Every matching event, following cursors page by page. */
    all: (query: Omit<EventQuery, 'cursor'> = {}): AsyncIterableIterator<AnyEvent> => this.allEvents(query),
  };

  readonly interactions = {
    list: (query: InteractionQuery = {}): Promise<InteractionPage> => this.request('GET', '/api/interactions', { query: { ...query } }),
    get: (id: string): Promise<Interaction> => this.request('GET', `/api/interactions/${enc(id)}`),
    /** Staff: opens an interaction for a customer (calls and chats open theirs themselves). */
    create: (input: { channel: Channel; customerId?: string; subject?: string }): Promise<Interaction> =>
      this.request('POST', '/api/interactions', { body: input }),
    timeline: (id: string, query: { limit?: number } = {}): Promise<{ items: AnyEvent[] }> =>
      this.request('GET', `/api/interactions/${enc(id)}/timeline`, { query }),
    /** Supervisors and admins: the interaction, whether a call of it is on, the names of its people and its timeline. */
    detail: (id: string): Promise<InteractionDetail> => this.request('GET', `/api/interactions/${enc(id)}/detail`),
  };

  /** Calls: originate, control live calls (say, play, hold, transfer, record…), list, your own history. */
  readonly calls = callMethods(this.send);
  /** Flows: the verb lists calls run. */
  readonly flows = flowMethods(this.send);
  /** Numbers and where they route (a flow or a user). */
  readonly numbers = numberMethods(this.send);
  readonly sipAccounts = sipAccountMethods(this.send);
  readonly trunks = trunkMethods(this.send);
  /** Routing queues, skills, settings and queue stats. */
  readonly queues = queueMethods(this.send);
  /** Work items: enqueue, offers (accept, reject), complete, reassign; agents and their presence. */
  readonly work = workMethods(this.send);
  readonly chat = chatMethods(this.send);
  /** The agent desktop's wrap-ups and the supervisor console's reports. */
  readonly desk = deskMethods(this.send);
  readonly sms = smsMethods(this.send);
  /** A number's call-control (deflection) rules and deflection stats. */
  readonly deflection = deflectionMethods(this.send);
  readonly callbacks = callbackMethods(this.send);
  readonly brands = brandMethods(this.send);
  /** The app key that signs call metadata, and branded test calls. */
  readonly branding = brandingMethods(this.send);
  /** Access control: outbound-calling policy, egress allow-list, sign-in locks. */
  readonly access = accessMethods(this.send);
  /** Confirm cards pushed to a customer's screen during a call, their answers and the hash-chained record. */
  readonly cards = cardMethods(this.send);
  /** Cross-channel rules: versions, activation, shadow mode, backtests, the explanation trace. */
  readonly rules = ruleMethods(this.send);
  /** Business events in (CloudEvents 1.0), custom event type schemas, customers' app activity. */
  readonly ingest = ingestMethods(this.send);
  /** Rooms (SFU): create, mint join tokens, moderate. Join and media go through `Room`. */
  readonly rooms = roomMethods(this.send);
  /** Social audio conversations: start, invite, feed, hands, promote, moderate. Audio goes through `Room`. */
  readonly conversations = conversationMethods(this.send);
  /** Emergency devices: register (key shown once), change, revoke, rotate keys. */
  readonly devices = deviceMethods(this.send);
  /** Emergencies raised by devices: list, cancel during the countdown, the tenant's settings. */
  readonly emergencies = emergencyMethods(this.send);
  /** Saved payment cards (brand and last 4 only) and reading one into a live call. */
  readonly vault = vaultMethods(this.send);
  /** Rewards: programs, wallet, redemptions (to users or crypto), statements and the sealed ledger. */
  readonly rewards = rewardMethods(this.send);

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

  private async *allEvents(query: Omit<EventQuery, 'cursor'>): AsyncIterableIterator<AnyEvent> {
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

  private async request<T>(method: string, path: string, opts: { query?: Query; body?: unknown; accept?: string } = {}): Promise<T> {
    const url = new URL(this.baseUrl + path);
    for (const [key, value] of Object.entries(opts.query ?? {})) {
      if (value === undefined) continue;
      url.searchParams.set(key, Array.isArray(value) ? value.join(',') : String(value));
    }
    const headers: Record<string, string> = { accept: opts.accept ?? 'application/json', ...this.authHeaders() };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const res = await this.fetchFn(url, {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
    this.storeCookies(res);
    if (!res.ok) throw await CallsightApiError.fromResponse(res);
    if (res.status === 204) return undefined as T;
    if (opts.accept && !opts.accept.includes('json')) return (await res.text()) as T;
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
