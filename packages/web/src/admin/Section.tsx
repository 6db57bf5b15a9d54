import type { ReactNode } from 'react';

export function Section({ id, title, description, children }: { id: string; title: string; description: string; children: ReactNode }) {
  return (
    <section className="stack" aria-labelledby={`${id}-title`} data-testid={`section-${id}`}>
      <header className="section-head">
        <h1 id={`${id}-title`}>{title}</h1>
        <p className="muted">{description}</p>
      </header>
      {children}
    </section>
  );
}

/** A table's loading, error and empty states, so each section renders only its rows. */
export function TableState({ loading, error, empty, what }: { loading: boolean; error: unknown; empty: boolean; what: string }) {
  if (error) return null;
  if (loading && empty) return <p className="empty" aria-busy="true">Loading {what}…</p>;
  if (empty) return <p className="empty">No {what} yet.</p>;
  return null;
}
