import type { Brand } from '@callsight/sdk';
import type { FormEvent } from 'react';
import { client } from '../../shared/api';
import { ProblemBanner } from '../../shared/ProblemBanner';
import { useToast } from '../../shared/Toasts';
import { useAction } from '../../shared/use-action';
import { BrandFields, brandOf } from './BrandFields';

/** Changes a brand in place: its numbers keep being signed under it, with the new name, logo and reasons from the next call. */
export function BrandEditor({ brand, onChanged, onClose }: { brand: Brand; onChanged: () => void; onClose: () => void }) {
  const toast = useToast();
  const { error, busy, run } = useAction(onChanged);

  const save = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    void run(async () => {
      const input = await brandOf(form);
      const saved = await client.brands.update(brand.id, form.get('removeLogo') === 'on' && !input.logo ? { ...input, logo: null } : input);
      toast.success(`${saved.name} saved`);
      onClose();
    });
  };

  return (
    <form className="form-grid" onSubmit={save} aria-label={`Edit brand ${brand.name}`} data-testid="brand-editor">
      <div className="span-all"><ProblemBanner error={error} /></div>
      <BrandFields brand={brand} prefix="brand-edit" />
      {brand.logoUrl && (
        <label className="row span-all">
          <input name="removeLogo" type="checkbox" data-testid="brand-edit-remove-logo" /> Remove the logo
        </label>
      )}
      <div className="form-actions row wrap">
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="brand-edit-save">{busy ? 'Saving…' : 'Save'}</button>
        <button type="button" className="btn" onClick={onClose} disabled={busy}>Cancel</button>
      </div>
    </form>
  );
}
