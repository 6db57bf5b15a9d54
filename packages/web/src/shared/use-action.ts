import { useState, type FormEvent } from 'react';

/**
 * One place for what every admin action does around its request: `busy` while it
 * runs (buttons disable), a thrown problem lands in `error` for a ProblemBanner, and
 * `onDone` (usually a list reload) runs only after success.
 */
export function useAction(onDone?: () => void) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await action();
      onDone?.();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  /** A form's submit handler: runs `action` instead of letting the browser navigate. */
  const onSubmit = (action: () => Promise<void>) => (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    void run(action);
  };

  return { error, busy, run, onSubmit };
}
