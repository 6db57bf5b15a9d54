import { CallsightApiError } from '@callsight/sdk';

/** A readable one-liner for any error, preferring the server's problem `detail`. */
export function errorText(err: unknown): string {
  if (err instanceof CallsightApiError) return err.problem.detail ?? err.problem.title;
  if (err instanceof TypeError) return 'Cannot reach the server. Check your connection and try again.';
  return err instanceof Error ? err.message : String(err);
}

/** Field paths come as `body.email`; people know the field as "email". */
export const fieldLabel = (path: string) => path.replace(/^(body|query|params|querystring)\./, '');

/** An inline error for a form or section: the problem's detail and, for validation errors, each field. */
export function ProblemBanner({ error }: { error: unknown }) {
  if (!error) return null;
  const fields = error instanceof CallsightApiError ? error.fields : [];
  return (
    <div className="banner banner-error" role="alert" data-testid="problem">
      {/* With fields, the detail only lists their paths ("Invalid body: body.address"): the title says it in words and the list says what is wrong. */}
      <strong>{fields.length > 0 && error instanceof CallsightApiError ? error.problem.title : errorText(error)}</strong>
      {fields.length > 0 && (
        <ul>
          {fields.map((f) => (
            <li key={f.path}>
              <code>{fieldLabel(f.path)}</code> {f.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
