import type { FormEvent } from 'react';
import { useAction } from './use-action';

/**
 * A form's submit handling in one place: the action gets the form's data; while it
 * runs `busy` is set; a thrown problem lands in `error` for a ProblemBanner; on
 * success the form is reset.
 */
export function useFormAction(action: (form: FormData) => Promise<void>) {
  const { error, busy, run } = useAction();

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    await run(async () => {
      await action(new FormData(formEl));
      formEl.reset();
    });
  }

  return { error, busy, submit };
}
