import { useResource } from '../../shared/use-resource';
import { client } from '../../shared/api';

const TRANSPORT_NAME = { udp: 'UDP', tcp: 'TCP', tls: 'TLS', ws: 'WebSocket', wss: 'Secure WebSocket' } as const;

/** What to type into a desk phone or softphone: the server, each transport's port, and that the username is the account's. */
export function SipServerInfo() {
  const server = useResource(() => client.sipAccounts.server());
  if (!server.data) return null;
  const { host, transports } = server.data;
  return (
    <section className="card stack sip-server" aria-labelledby="sip-server-title" data-testid="sip-server">
      <h3 id="sip-server-title">Set up a phone</h3>
      <p className="muted small">Register a desk phone or softphone with one of the accounts below, its password, and this server:</p>
      <dl className="sip-server-list">
        <div><dt>SIP server</dt><dd className="mono" data-testid="sip-server-host">{host}</dd></div>
        {transports.map((t) => (
          <div key={t.transport}>
            <dt>{TRANSPORT_NAME[t.transport]}</dt>
            <dd className="mono" data-testid={`sip-server-${t.transport}`}>port {t.port}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
