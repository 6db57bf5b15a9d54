import type { RoomRole, RoomSummary } from '@callsight/sdk';
import { useState, type FormEvent } from 'react';
import { client } from '../shared/api';
import { ProblemBanner } from '../shared/ProblemBanner';
import { useCopy } from '../shared/CopyField';
import { useResource } from '../shared/use-resource';

/** Rooms of the tenant: create one, join it in a role, or copy a link for listeners. */
export function RoomList({ userId, canHostAny, onJoin }: { userId: string; canHostAny: boolean; onJoin(room: RoomSummary, role: RoomRole): void }) {
  const rooms = useResource(() => client.rooms.list());
  const copy = useCopy();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<'audio' | 'video'>('audio');
  const [max, setMax] = useState(50);
  const [error, setError] = useState<unknown>(null);

  async function create(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      await client.rooms.create({ name, kind, maxParticipants: max });
      setName('');
      rooms.reload();
    } catch (err) {
      setError(err);
    }
  }

  async function copyListenerLink(room: RoomSummary) {
    try {
      const { joinUrl } = await client.rooms.token(room.id, { role: 'listener', ttlSeconds: 24 * 3600 });
      const url = new URL(joinUrl, window.location.origin).toString();
      await copy(url, `Listener link for ${room.name}`);
    } catch (err) {
      setError(err);
    }
  }

  return (
    <div className="stack">
      <form className="card form-grid" onSubmit={(e) => void create(e)} data-testid="create-room">
        <label className="field">
          Room name
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="Friday town hall" required maxLength={120} />
        </label>
        <label className="field">
          Kind
          <select value={kind} onChange={(e) => setKind(e.target.value as 'audio' | 'video')}>
            <option value="audio">Audio</option>
            <option value="video">Video</option>
          </select>
        </label>
        <label className="field">
          Max participants
          <input type="number" min={2} max={2000} value={max} onChange={(e) => setMax(Number(e.target.value))} />
        </label>
        <div className="form-actions span-all">
          <button type="submit" className="btn btn-primary">Create room</button>
        </div>
        <div className="span-all"><ProblemBanner error={error} /></div>
      </form>
      <ProblemBanner error={rooms.error} />
      {rooms.data && rooms.data.items.length === 0 && <p className="empty">No rooms yet. Create one above.</p>}
      {rooms.data && rooms.data.items.length > 0 && (
        <div className="table-wrap">
          <table className="table table-cards">
            <thead>
              <tr>
                <th>Room</th>
                <th>Kind</th>
                <th>In the room</th>
                <th className="actions">Join as</th>
              </tr>
            </thead>
            <tbody>
              {rooms.data.items.map((r) => (
                <tr key={r.id} data-testid="room-row" data-room={r.name}>
                  <td data-card-title>{r.name}</td>
                  <td data-label="Kind">{r.kind === 'video' ? 'Video' : 'Audio'}</td>
                  <td data-label="In the room">
                    {r.participantCount} / {r.maxParticipants}
                  </td>
                  <td className="actions">
                    {/* Hosting (muting, removing people) is for the room's creator and supervisors; the server enforces it too. */}
                    {(r.createdBy === userId || canHostAny) && (
                      <button type="button" className="btn btn-small btn-primary" onClick={() => onJoin(r, 'host')} data-testid="join-host">Host</button>
                    )}
                    <button type="button" className="btn btn-small" onClick={() => onJoin(r, 'speaker')} data-testid="join-speaker">Speaker</button>
                    <button type="button" className="btn btn-small" onClick={() => onJoin(r, 'listener')} data-testid="join-listener">Listener</button>
                    <button type="button" className="btn btn-small btn-ghost" onClick={() => void copyListenerLink(r)}>Copy listener link</button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
