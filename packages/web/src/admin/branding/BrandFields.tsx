import type { Brand } from '@callsight/sdk';

const MAX_LOGO_BYTES = 256 * 1024;

const lines = (text: FormDataEntryValue | null) =>
  String(text ?? '')
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);

async function readLogo(file: File): Promise<{ dataBase64: string; mime: string }> {
  if (file.size > MAX_LOGO_BYTES) throw new Error(`The logo must be at most ${MAX_LOGO_BYTES / 1024} KB`);
  const bytes = new Uint8Array(await file.arrayBuffer());
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return { dataBase64: btoa(bin), mime: file.type };
}

/** The brand a create or edit form describes; `logo` is absent when neither a file nor a URL was given (an edit keeps the logo). */
export async function brandOf(form: FormData) {
  const file = form.get('logo');
  const logoUrl = String(form.get('logoUrl') ?? '').trim();
  const logo = file instanceof File && file.size > 0 ? await readLogo(file) : logoUrl ? { url: logoUrl } : undefined;
  return {
    name: String(form.get('name')).trim(),
    ...(logo ? { logo } : {}),
    reasons: lines(form.get('reasons')),
    numbers: lines(form.get('numbers')),
    content: { kind: String(form.get('kind')) as Brand['content']['kind'], title: String(form.get('title')).trim() },
  };
}

/** A brand's fields, empty for a new brand or filled from `brand`; `prefix` keeps test ids apart when both forms are on screen. */
export function BrandFields({ brand, prefix }: { brand?: Brand; prefix: string }) {
  return (
    <>
      <label className="field">
        <span>Name shown to callees</span>
        <input name="name" required maxLength={32} defaultValue={brand?.name} data-testid={`${prefix}-name`} />
      </label>
      <label className="field">
        <span>Numbers it calls from</span>
        <input name="numbers" required placeholder="+15550101, +15550102" defaultValue={brand?.numbers.join(', ')} data-testid={`${prefix}-numbers`} />
      </label>
      <label className="field">
        <span>{brand?.logoUrl ? 'New logo' : 'Logo'} <small className="muted">(PNG, JPEG, WebP, SVG; ≤ 256 KB)</small></span>
        <input name="logo" type="file" accept="image/png,image/jpeg,image/gif,image/webp,image/svg+xml" data-testid={`${prefix}-logo`} />
      </label>
      <label className="field">
        <span>…or logo URL</span>
        <input name="logoUrl" type="url" placeholder="https://…" data-testid={`${prefix}-logo-url`} />
      </label>
      <label className="field span-2">
        <span>Call reasons <small className="muted">(one per line)</small></span>
        <textarea name="reasons" rows={2} placeholder="Card delivery" defaultValue={brand?.reasons.join('\n')} data-testid={`${prefix}-reasons`} />
      </label>
      <label className="field">
        <span>Content page</span>
        <select name="kind" defaultValue={brand?.content.kind ?? 'order'} data-testid={`${prefix}-kind`}>
          <option value="order">Order</option>
          <option value="appointment">Appointment</option>
          <option value="message">Message</option>
        </select>
      </label>
      <label className="field">
        <span>Content title</span>
        <input name="title" required maxLength={80} placeholder="Your card delivery" defaultValue={brand?.content.title} data-testid={`${prefix}-title`} />
      </label>
    </>
  );
}
