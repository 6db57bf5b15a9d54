import { DeviceClient, SIMULATION_DEVICES, simulatedBatch, type Device, type Simulation } from '@callsight/sdk';
import { useState } from 'react';
import { client } from '../../shared/api';
import { DEVICE_KIND_TEXT } from '../../shared/emergency-text';
import { ProblemBanner } from '../../shared/ProblemBanner';
import { useResource } from '../../shared/use-resource';

const SIMULATIONS: { id: Simulation; title: string; what: string }[] = [
  { id: 'crash', title: 'Simulate crash', what: 'a car at 58 km/h' },
  { id: 'fall', title: 'Simulate fall', what: 'a wearable' },
  { id: 'smoke', title: 'Simulate smoke alarm', what: 'an alarm hearing it' },
];

/** Device keys issued in this tab (never stored): the simulator sends as the device, through the device API. */
const keys = new Map<string, string>();

/**
 * Try the whole emergency path: generated sensor data for one of your devices goes
 * through the same API a real device uses, the detectors decide, and your alert
 * counts down as it would.
 */
export function DeviceSimulator({ onRaised }: { onRaised: (emergencyId: string) => void }) {
  const devices = useResource(() => client.devices.mine());
  const [busy, setBusy] = useState<Simulation | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState<string | null>(null);
  const mine = (devices.data?.items ?? []).filter((d) => !d.revoked);
  const deviceFor = (s: Simulation): Device | undefined => SIMULATION_DEVICES[s].map((k) => mine.find((d) => d.kind === k)).find(Boolean);

  async function simulate(s: Simulation) {
    const device = deviceFor(s);
    if (!device) return;
    setBusy(s);
    setError(null);
    setNote(null);
    try {
      let key = keys.get(device.id);
      if (!key) {
        key = (await client.devices.rotateKey(device.id)).key;
        keys.set(device.id, key);
      }
      const result = await new DeviceClient({ baseUrl: window.location.origin, key }).send(simulatedBatch(s));
      if (result.emergencyId) onRaised(result.emergencyId);
      else setNote(`${device.name} sent its data; nothing was detected.`);
      devices.reload();
    } catch (err) {
      keys.delete(device.id);
      setError(err);
    } finally {
      setBusy(null);
    }
  }

  if (!devices.loading && mine.length === 0 && !devices.error) return null;
  return (
    <section className="card stack" aria-labelledby="emg-sim-title" data-testid="device-simulator">
      <div>
        <h2 id="emg-sim-title">Emergency devices</h2>
        <p className="muted small">
          Try what happens in an emergency: the simulator sends realistic sensor data as your device would. You get the alert and can cancel it; if you do not, emergency services are called. It gives the device a new key.
        </p>
      </div>
      <ProblemBanner error={error ?? devices.error} />
      {note && <p className="banner" role="status">{note}</p>}
      <div className="emg-sim-buttons">
        {SIMULATIONS.map((s) => {
          const d = deviceFor(s.id);
          return (
            <button key={s.id} type="button" className="btn" disabled={!d || busy !== null} onClick={() => void simulate(s.id)} data-testid={`simulate-${s.id}`}>
              <span>{busy === s.id ? 'Sending…' : s.title}</span>
              <small>{d ? `${d.name}` : `needs a ${SIMULATION_DEVICES[s.id].map((k) => DEVICE_KIND_TEXT[k].toLowerCase()).join(' or ')}`}</small>
            </button>
          );
        })}
      </div>
    </section>
  );
}
