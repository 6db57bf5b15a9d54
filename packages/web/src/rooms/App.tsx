import { AppShell } from '../shared/AppShell';
import { Placeholder } from '../shared/Placeholder';

const CAPABILITIES = [
  { name: 'Audio rooms', text: 'Hosts and speakers on stage, listeners in the audience, hands raised to speak.' },
  { name: 'Spatial group calls', text: 'Everyone placed around you, so voices are easy to tell apart.' },
];

export function App() {
  return (
    <AppShell app="Rooms">
      <Placeholder title="Rooms" intro="Talk to many people at once." capabilities={CAPABILITIES} />
    </AppShell>
  );
}
