import { EventFeed } from '../shared/EventFeed';
import { Section } from './Section';

export function LiveEventsSection() {
  return (
    <Section id="events" title="Live events" description="Everything that happens in your tenant, as it happens.">
      <div className="card">
        <EventFeed />
      </div>
    </Section>
  );
}
