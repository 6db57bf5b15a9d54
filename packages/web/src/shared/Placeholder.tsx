/** The main area of an app whose features are still being built: says what will arrive there. */
export function Placeholder({ title, intro, capabilities }: { title: string; intro: string; capabilities: { name: string; text: string }[] }) {
  return (
    <main className="page">
      <section className="card stack" aria-labelledby="placeholder-title" data-testid="placeholder">
        <h1 id="placeholder-title">{title}</h1>
        <p className="muted">{intro}</p>
        <ul className="capabilities">
          {capabilities.map((c) => (
            <li key={c.name}>
              <strong>{c.name}</strong>
              <span>{c.text}</span>
            </li>
          ))}
        </ul>
        <p className="muted small">These capabilities are on their way; this app already handles sign-in and your role.</p>
      </section>
    </main>
  );
}
