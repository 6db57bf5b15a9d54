import { formatDateTime } from '../../shared/format';
import { ProblemBanner } from '../../shared/ProblemBanner';
import { useToast } from '../../shared/Toasts';
import { useResource } from '../../shared/use-resource';
import { TableState } from '../Section';
import type { LoginLock } from '@callsight/sdk';
import { client } from '../../shared/api';

/** Wrong-password counts per account and address, and the sign-ins they block; an admin lets one in again. */
export function LoginLocksPanel() {
  const toast = useToast();
  const locks = useResource(() => client.access.loginLocks());
  const items = locks.data?.items ?? [];
  const now = Date.now();

  async function clear(l: LoginLock) {
    try {
      await client.access.clearLoginLock(l.email, l.address);
      toast.success(`${l.email} may sign in from ${l.address} again`);
      locks.reload();
    } catch (err) {
      toast.error(err);
    }
  }

  return (
    <section className="card stack" aria-labelledby="locks-title" data-testid="login-locks">
      <h2 id="locks-title">Sign-in locks</h2>
      <p className="muted">After repeated wrong passwords, one account is blocked from one address for a while — longer each time. The person can still sign in from anywhere else.</p>
      <div className="row">
        <button type="button" className="btn btn-small" onClick={locks.reload}>Refresh</button>
      </div>
      <ProblemBanner error={locks.error} />
      <TableState loading={locks.loading} error={locks.error} empty={items.length === 0} what="failed sign-ins" />
      {items.length > 0 && (
        <div className="table-wrap">
          <table className="table table-cards" data-testid="locks-table">
            <thead><tr><th>Account</th><th>From address</th><th>Wrong passwords</th><th>Last attempt</th><th>Blocked until</th><th className="actions"><span className="visually-hidden">Actions</span></th></tr></thead>
            <tbody>
              {items.map((l) => (
                <tr key={`${l.email} ${l.address}`} data-testid="lock-row">
                  <td data-card-title className="break">{l.email}</td>
                  <td data-label="From address" className="mono">{l.address}</td>
                  <td data-label="Wrong passwords">{l.failures}</td>
                  <td data-label="Last attempt">{formatDateTime(l.lastFailureAt)}</td>
                  <td data-label="Blocked until">{l.blockedUntil > now ? formatDateTime(l.blockedUntil) : 'Not blocked'}</td>
                  <td className="actions">
                    <button type="button" className="btn btn-small" onClick={() => void clear(l)} data-testid="lock-clear">Let in again</button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
