import type { User } from '@callsight/sdk';
import { useState } from 'react';
import { client } from '../../shared/api';
import { brandContentText, verificationText } from '../../shared/messages';
import { ProblemBanner } from '../../shared/ProblemBanner';
import { useToast } from '../../shared/Toasts';
import { useFormAction } from '../../shared/use-form-action';
import { useResource } from '../../shared/use-resource';
import { Section, TableState } from '../Section';
import type { Brand } from '@callsight/sdk';
import { Sheet } from '../../shared/Sheet';
import { BrandEditor } from './BrandEditor';
import { BrandFields, brandOf } from './BrandFields';
import { VerificationPolicyCard } from './VerificationPolicyCard';

/** Brands: who the tenant calls as. Their numbers get STIR/SHAKEN certificates; their name, logo and reason show on callees' lockscreens. */
export function BrandsSection() {
  const toast = useToast();
  const brands = useResource(() => client.brands.list());
  const customers = useResource(() => client.users.list({ role: 'customer' }));
  const items = brands.data?.items ?? [];
  const [editing, setEditing] = useState<string | null>(null);
  const editingBrand = items.find((b) => b.id === editing);

  async function remove(brand: Brand) {
    if (!window.confirm(`Delete the brand ${brand.name}? Calls from its numbers will no longer be signed.`)) return;
    try {
      await client.brands.remove(brand.id);
      toast.success('Brand deleted');
      brands.reload();
    } catch (err) {
      toast.error(err);
    }
  }

  return (
    <Section id="brands" title="Brands" description="Branded, verified calls: each brand's calls are signed (STIR/SHAKEN with Rich Call Data) so phones show its name, logo and reason.">
      <CreateBrandForm onCreated={brands.reload} />
      <ProblemBanner error={brands.error} />
      <TableState loading={brands.loading} error={brands.error} empty={items.length === 0} what="brands" />
      {items.length > 0 && (
        <div className="table-wrap">
          <table className="table table-cards" data-testid="brands-table">
            <thead>
              <tr><th>Brand</th><th>Numbers</th><th>Call reasons</th><th>Content</th><th><span className="visually-hidden">Actions</span></th></tr>
            </thead>
            <tbody>
              {items.map((b) => (
                <tr key={b.id} data-testid="brand-row" data-name={b.name}>
                  <td data-card-title>
                    <span className="row">
                      {b.logoUrl && <img src={b.logoUrl} alt="" width={28} height={28} style={{ borderRadius: 6, objectFit: 'cover' }} />}
                      {b.name}
                    </span>
                  </td>
                  <td data-label="Numbers" className="mono">{b.numbers.join(', ')}</td>
                  <td data-label="Call reasons">{b.reasons.length ? b.reasons.map((r) => <span key={r} className="pill">{r}</span>) : <span className="muted">—</span>}</td>
                  <td data-label="Content">{brandContentText(b.content)}</td>
                  <td className="actions">
                    <TestCallButton brand={b} customers={customers.data?.items ?? []} />
                    <button type="button" className="btn btn-small" onClick={() => setEditing(b.id)} aria-label={`Edit ${b.name}`} data-testid="brand-edit">Edit</button>
                    <button type="button" className="btn btn-danger btn-small" onClick={() => void remove(b)}>Delete</button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editingBrand && (
        <Sheet title={`Edit ${editingBrand.name}`} onClose={() => setEditing(null)} testId="brand-sheet">
          <BrandEditor key={editingBrand.id} brand={editingBrand} onChanged={brands.reload} onClose={() => setEditing(null)} />
        </Sheet>
      )}
      <VerificationPolicyCard />
    </Section>
  );
}

function TestCallButton({ brand, customers }: { brand: Brand; customers: User[] }) {
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const target = customers.find((c) => c.phoneNumber);
  async function ring() {
    if (!target) return;
    setBusy(true);
    try {
      const r = await client.branding.testCall({ brandId: brand.id, userId: target.id, reason: brand.reasons[0], mode: 'verified' });
      const checked = verificationText(r.verification);
      toast.success(r.delivered ? `Ringing ${target.name} · ${checked}` : `${target.name} has no phone app open · ${checked}`);
    } catch (err) {
      toast.error(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <button type="button" className="btn btn-small" disabled={!target || busy} onClick={() => void ring()} title={target ? `Ring ${target.name}'s phone app with a signed call` : 'No customer with a phone number'}>
      Test call
    </button>
  );
}

function CreateBrandForm({ onCreated }: { onCreated: () => void }) {
  const toast = useToast();
  const { error, busy, submit } = useFormAction(async (form) => {
    await client.brands.create(await brandOf(form));
    toast.success('Brand created');
    onCreated();
  });

  return (
    <form className="card form-grid" onSubmit={submit} data-testid="brand-form" aria-label="Create brand">
      <h2 className="span-all">Add a brand</h2>
      <div className="span-all"><ProblemBanner error={error} /></div>
      <BrandFields prefix="brand" />
      <div className="form-actions">
        <button className="btn btn-primary" type="submit" disabled={busy} data-testid="brand-submit">
          {busy ? 'Adding…' : 'Add brand'}
        </button>
      </div>
    </form>
  );
}
