import type { Card } from '@callsight/sdk';
import { useState } from 'react';
import { client } from '../../shared/api';
import '../../shared/cards.css';
import { ProblemBanner } from '../../shared/ProblemBanner';
import { saveFile } from '../../shared/save-file';
import { useToast } from '../../shared/Toasts';
import { CardComposer } from './CardComposer';
import { CardStatusList } from './CardStatusList';
import { ConfirmedDataView } from './ConfirmedDataView';
import { useInteractionCards } from './use-interaction-cards';

/** Saves the interaction's hash-chained record as a JSON file. */
export async function downloadRecord(interactionId: string) {
  const record = await client.cards.exportRecord(interactionId);
  saveFile(`${interactionId}-confirmations.json`, JSON.stringify(record, null, 2), 'application/json');
  return record.verification;
}

/** Beside a work item: push cards to the customer and watch the answers arrive (`hideConfirmed`: the desktop shows confirmed data in its customer pane). */
export function ConfirmPanel({ interactionId, hideConfirmed = false }: { interactionId: string; hideConfirmed?: boolean }) {
  const toast = useToast();
  const { cards, confirmed, error, reload } = useInteractionCards(interactionId);
  const [editing, setEditing] = useState<Card | null>(null);

  return (
    <div className="confirm-columns">
      <CardComposer
        interactionId={interactionId}
        editing={editing}
        onDone={() => {
          setEditing(null);
          reload();
        }}
      />
      <div className="stack">
        <section className="card stack" aria-labelledby="cards-title">
          <h2 id="cards-title">Customer answers</h2>
          <ProblemBanner error={error} />
          <CardStatusList cards={cards} onEdit={setEditing} />
        </section>
        {!hideConfirmed && <section className="card stack" aria-labelledby="confirmed-title">
          <div className="row">
            <h2 id="confirmed-title">Confirmed data</h2>
            <button
              type="button"
              className="btn btn-small push-right"
              onClick={() =>
                downloadRecord(interactionId).then(
                  (v) => (v.ok ? toast.success(`Record exported: ${v.records} entries, chain verified`) : toast.error(new Error(`Chain broken at #${v.brokenAt?.seq}: ${v.brokenAt?.reason}`))),
                  toast.error,
                )
              }
              data-testid="export-record"
            >
              Export record
            </button>
          </div>
          <ConfirmedDataView items={confirmed} cards={cards} />
        </section>}
      </div>
    </div>
  );
}
