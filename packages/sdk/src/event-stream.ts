import { CallsightRealtimeError } from './errors.js';
import type { AnyEvent, HelloMessage, ServerMessage, StreamFilter } from '@callsight/protocol';

/**
 * The part of the WebSocket API the stream uses, met by the browser's WebSocket
 * and by the `ws` package in Node. Listeners are declared as methods so both
 * libraries' event types fit.
 */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: (event: { code: number; reason: string }) => void): void;
  addEventListener(type: 'error', listener: (event: unknown) => void): void;
}

/**
 * `new WebSocket(url, protocols, options)`. Browsers ignore the third argument
 * (they send the page's cookies instead); `ws` in Node reads `options.headers`.
 */
export type WebSocketConstructor = new (
  url: string,
  protocols?: string | string[],
  options?: { headers?: Record<string, string> },
) => WebSocketLike;

export interface StreamListeners {
  /** An event matching the stream's filter. */
  event: (event: AnyEvent) => void;
  /** Connected and greeted by the server (again after every reconnect). */
  open: (hello: HelloMessage) => void;
  /** Disconnected; `willReconnect` is false only after `close()`. */
  close: (info: { code: number; reason: string; willReconnect: boolean }) => void;
  error: (error: Error) => void;
  /** Every other server message without a pending request, e.g. feature signals pushed to a user. */
  message: (message: ServerMessage) => void;
}

export interface EventStreamOptions {
  /** Opens a socket for the given filter; called again on every reconnect. */
  connect: (filter: StreamFilter) => WebSocketLike;
  filter?: StreamFilter;
  /** How long `request()` waits for its reply. Default 10 s. */
  requestTimeoutMs?: number;
  /** Keeps idle sockets alive through proxies that drop quiet connections. Default 25 s; 0 disables. */
  pingIntervalMs?: number;
  /** Reconnect delay grows from this, doubling per failure. Default 500 ms. */
  minReconnectMs?: number;
  /** Reconnect delay cap. Default 15 s. */
  maxReconnectMs?: number;
}

const OPEN = 1;

type Pending = { resolve: (msg: ServerMessage) => void; reject: (err: Error) => void; timer: ReturnType<typeof setTimeout> };

/** Close code of a socket whose credentials the server ended; reason `user_changed` (a new role) reconnects, others do not. */
export const CREDENTIALS_ENDED = 4401;

/**
 * A live connection to /api/ws that reconnects with exponential backoff and
 * re-applies its filter. Events published while disconnected are not replayed:
 * use `events.list({ from })` to catch up if a gap matters.
 */
export class EventStream {
  private socket: WebSocketLike | null = null;
  private filter: StreamFilter;
  private readonly listeners: { [K in keyof StreamListeners]: Set<StreamListeners[K]> } = {
    event: new Set(),
    open: new Set(),
    close: new Set(),
    error: new Set(),
    message: new Set(),
  };
  private readonly pending = new Map<string, Pending>();
  private nextRef = 1;
  private failures = 0;
  private closed = false;
  private ready = false;
  private waitingForOpen: (() => void)[] = [];
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly opts: EventStreamOptions) {
    this.filter = opts.filter ?? {};
    this.open();
  }

  /** Adds a listener; returns a function that removes it. */
  on<K extends keyof StreamListeners>(type: K, listener: StreamListeners[K]): () => void {
    this.listeners[type].add(listener);
    return () => this.listeners[type].delete(listener);
  }

  /** True between the server's hello and the next disconnect. */
  get connected(): boolean {
    return this.ready;
  }

  /** Changes what the stream receives; kept across reconnects. */
  async subscribe(filter: StreamFilter): Promise<ServerMessage> {
    this.filter = filter;
    return this.request('subscribe', { types: filter.types ?? [], interactionId: filter.interactionId });
  }

  /**
   * Sends `{kind, ref, ...payload}` and resolves with the server's reply carrying
   * the same ref; rejects with CallsightRealtimeError on `{kind:'error'}`, on
   * timeout, or if the connection drops first. Waits for the connection if needed.
   */
  async request(kind: string, payload: Record<string, unknown> = {}): Promise<ServerMessage> {
    await this.whenReady();
    const ref = `r${this.nextRef++}`;
    return new Promise<ServerMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(ref);
        reject(new CallsightRealtimeError('timeout', `No reply to ${kind} within ${this.opts.requestTimeoutMs ?? 10_000} ms`));
      }, this.opts.requestTimeoutMs ?? 10_000);
      this.pending.set(ref, { resolve, reject, timer });
      this.socket!.send(JSON.stringify({ ...payload, kind, ref }));
    });
  }

  /** Closes for good: no reconnect; pending requests reject. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    this.teardown(new CallsightRealtimeError('closed', 'Stream closed'));
    this.socket?.close(1000, 'client closed');
    this.socket = null;
    for (const wake of this.waitingForOpen) wake();
    this.waitingForOpen = [];
  }

  private whenReady(): Promise<void> {
    if (this.closed) return Promise.reject(new CallsightRealtimeError('closed', 'Stream closed'));
    if (this.ready) return Promise.resolve();
    return new Promise((resolve, reject) =>
      this.waitingForOpen.push(() => (this.closed ? reject(new CallsightRealtimeError('closed', 'Stream closed')) : resolve())),
    );
  }

  private open(): void {
    let socket: WebSocketLike;
    try {
      socket = this.opts.connect(this.filter);
    } catch (err) {
      this.emit('error', err instanceof Error ? err : new Error(String(err)));
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.addEventListener('message', (ev) => this.onMessage(String(ev.data)));
    socket.addEventListener('error', () => this.emit('error', new Error('WebSocket error')));
    socket.addEventListener('close', (ev) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.teardown(new CallsightRealtimeError('disconnected', 'Connection lost before the reply'));
      // The server ended the credentials (revoked key, logout, disabled user): retrying cannot help.
      if (ev.code === CREDENTIALS_ENDED && ev.reason !== 'user_changed') this.closed = true;
      this.emit('close', { code: ev.code, reason: ev.reason, willReconnect: !this.closed });
      this.scheduleReconnect();
    });
  }

  private onMessage(text: string): void {
    let msg: { kind?: unknown; ref?: unknown; [field: string]: unknown };
    try {
      msg = JSON.parse(text);
    } catch {
      this.emit('error', new Error('Server sent a message that is not JSON'));
      return;
    }
    if (msg.kind === 'hello') {
      this.ready = true;
      this.failures = 0;
      this.startPing();
      for (const wake of this.waitingForOpen) wake();
      this.waitingForOpen = [];
      this.emit('open', msg as HelloMessage);
      return;
    }
    if (msg.kind === 'event') {
      this.emit('event', msg.event as AnyEvent);
      return;
    }
    const ref = typeof msg.ref === 'string' ? msg.ref : undefined;
    const pending = ref === undefined ? undefined : this.pending.get(ref);
    if (ref !== undefined && pending) {
      this.pending.delete(ref);
      clearTimeout(pending.timer);
      if (msg.kind === 'error') pending.reject(new CallsightRealtimeError(String(msg.code), String(msg.message)));
      else pending.resolve(msg as ServerMessage);
      return;
    }
    if (msg.kind === 'pong') return;
    if (msg.kind === 'error') this.emit('error', new CallsightRealtimeError(String(msg.code), String(msg.message)));
    else this.emit('message', msg as ServerMessage);
  }

  private startPing(): void {
    const every = this.opts.pingIntervalMs ?? 25_000;
    if (every <= 0) return;
    clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => {
      if (this.socket?.readyState === OPEN) this.socket.send('{"kind":"ping"}');
    }, every);
    // In Node, a stream alone must not keep the process alive.
    (this.pingTimer as { unref?: () => void }).unref?.();
  }

  private teardown(reason: Error): void {
    this.ready = false;
    clearInterval(this.pingTimer);
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(reason);
    }
    this.pending.clear();
  }

  private scheduleReconnect(): void {
    if (this.closed) return;
    const min = this.opts.minReconnectMs ?? 500;
    const max = this.opts.maxReconnectMs ?? 15_000;
    // Jitter spreads reconnects when a server restart drops every client at once.
    const delay = Math.min(max, min * 2 ** this.failures) * (0.75 + Math.random() * 0.5);
    this.failures++;
    this.reconnectTimer = setTimeout(() => this.open(), delay);
  }

  private emit<K extends keyof StreamListeners>(type: K, ...args: Parameters<StreamListeners[K]>): void {
    for (const listener of this.listeners[type]) {
      try {
        (listener as (...a: Parameters<StreamListeners[K]>) => void)(...args);
      } catch (err) {
        // A throwing listener must not break the stream or the other listeners.
        if (type !== 'error') this.emit('error', err instanceof Error ? err : new Error(String(err)));
      }
    }
  }
}
