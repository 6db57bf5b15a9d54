/**
 * How a feature declares its stable error codes (its `*-errors.ts`). Codes are public
 * API: `src/error-catalogue.ts` collects every folder's, `CallsightError` accepts no
 * other, `docs/errors.md` lists them and `test/core/error-catalogue.unit.test.ts` fails
 * when one is renamed or removed.
 */
export interface ErrorSpec {
  /** The HTTP status of the problem+json answer (and of the `CallsightError`). */
  status: number;
  /** What went wrong, for people: the problem's `title`. */
  title: string;
  /** Set when the status is not always `status`: what it is instead. */
  statusVaries?: string;
}

export type ErrorSpecs = Readonly<Record<string, ErrorSpec>>;
