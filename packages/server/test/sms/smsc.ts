import smpp, { type Pdu, type Session } from 'smpp';

export interface Submitted {
  from: string;
  to: string;
  text: string;
  udh: Buffer | null;
  messageId: string;
}

/**
 * A local SMSC (node-smpp server mode) for tests: accepts bind_transceiver with
 * one system_id/password, answers enquire_link, captures every submit_sm, and
 * can deliver MO messages and receipts to the bound client. `down()` drops the
 * listener and every session, as an SMSC outage would.
 */
export class TestSmsc {
  readonly submitted: Submitted[] = [];
  binds = 0;
  private sessions = new Set<Session>();
  private server = this.listen();
  private nextId = 1;
  port = 0;

  constructor(
    private readonly systemId = 'callsight',
    private readonly password = 'secret',
  ) {}

  get url(): string {
    return `smpp://${this.systemId}:${this.password}@127.0.0.1:${this.port}`;
  }

  async start(port = 0): Promise<this> {
    await new Promise<void>((r) => this.server.listen(port, '127.0.0.1', r));
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  get bound(): number {
    return this.sessions.size;
  }

  /** A mobile-originated message from `from` to `to`. */
  deliver(from: string, to: string, text: string): Promise<number> {
    return this.send({ source_addr: from.replace(/^\+/, ''), destination_addr: to.replace(/^\+/, ''), short_message: text, source_addr_ton: 1, dest_addr_ton: 1 });
  }

  receipt(messageId: string, stat: 'DELIVRD' | 'UNDELIV'): Promise<number> {
    return this.send({ esm_class: 0x04, short_message: `id:${messageId} sub:001 dlvrd:001 submit date:2611251200 done date:2611251200 stat:${stat} err:000 text:` });
  }

  /** Stops listening and drops every client (they see the connection close). */
  async down(): Promise<void> {
    for (const s of this.sessions) s.destroy();
    this.sessions.clear();
    await new Promise<void>((r) => this.server.close(() => r()));
    this.server = this.listen();
  }

  private send(fields: Record<string, unknown>): Promise<number> {
    const [session] = this.sessions;
    if (!session) return Promise.reject(new Error('no bound client'));
    return new Promise((resolve) => session.deliver_sm(fields, (pdu) => resolve(pdu.command_status)));
  }

  private listen() {
    return smpp.createServer((session) => {
      session.on('error', () => {});
      session.on('close', () => this.sessions.delete(session));
      session.on('bind_transceiver', (pdu: Pdu) => {
        this.binds++;
        const ok = pdu.system_id === this.systemId && pdu.password === this.password;
        session.send(pdu.response({ command_status: ok ? 0 : 0x0d }));
        if (ok) this.sessions.add(session);
        else session.close();
      });
      session.on('enquire_link', (pdu: Pdu) => session.send(pdu.response()));
      session.on('unbind', (pdu: Pdu) => {
        session.send(pdu.response());
        session.close();
      });
      session.on('submit_sm', (pdu: Pdu) => {
        const messageId = `m${this.nextId++}`;
        const sm = pdu.short_message as { message: string | Buffer; udh?: Buffer[] | Buffer };
        const udh = Array.isArray(sm.udh) ? sm.udh[0] : (sm.udh ?? null);
        this.submitted.push({ from: String(pdu.source_addr), to: String(pdu.destination_addr), text: sm.message.toString(), udh: udh ? Buffer.from(udh) : null, messageId });
        session.send(pdu.response({ message_id: messageId }));
      });
    });
  }
}
