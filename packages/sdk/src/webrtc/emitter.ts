/** A small typed event emitter that runs in browsers and Node alike. */
export class Emitter<Events extends Record<string, unknown[]>> {
  private readonly listeners: { [K in keyof Events]?: Set<(...args: Events[K]) => void> } = {};

  /** Adds a listener; returns a function that removes it. */
  on<K extends keyof Events>(type: K, listener: (...args: Events[K]) => void): () => void {
    (this.listeners[type] ??= new Set()).add(listener);
    return () => this.listeners[type]?.delete(listener);
  }

  protected emit<K extends keyof Events>(type: K, ...args: Events[K]): void {
    for (const l of this.listeners[type] ?? []) {
      try {
        l(...args);
      } catch (err) {
        // One failing listener must not stop the others or the media code that emitted.
        console.error(err);
      }
    }
  }
}
