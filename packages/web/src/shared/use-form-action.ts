import { useState, type FormEvent } from 'react';

/**
 * A form's submit handling in one place: the action gets the form's data; while it
 * runs `busy` is set; a thrown problem lands in `error` for a ProblemBanner; on
 * success the form is reset.
 */
export function useFormAction(action: (form: FormData) => Promise<void>) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    setBusy(true);
    setError(null);
    try {
      await action(new FormData(formEl));
      formEl.reset();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return { error, busy, submit };
}
