import type { Brand } from './brand-repo.js';
import type { ContentKind } from './branding-tables.js';

/**
 * The call link: `GET /b/<token>` opens the brand's visual content for one call
 * (an order, an appointment, a message) while it rings or after answering. The
 * token is a signed, expiring callsight token (signed-token.ts) carrying the
 * per-call payload, so opening it needs no login and no lookup beyond the brand.
 */
export interface CallLinkPayload {
  typ: 'link';
  /** Tenant whose app key signed it. */
  ten: string;
  bid: string;
  cid: string;
  int?: string;
  /** Per-call content fields, shown in order: e.g. { "Order": "A-1042", "Delivery": "Tue 10-12" }. */
  d: Record<string, string>;
  exp: number;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const HEADLINE: Record<ContentKind, string> = {
  order: 'Your order',
  appointment: 'Your appointment',
  message: 'A message for you',
};

/** The page for a call link: plain HTML, no script, readable on any phone. */
export function renderCallContentPage(brand: Brand, logoUrl: string | undefined, link: CallLinkPayload): string {
  const rows = Object.entries(link.d)
    .map(([k, v]) => `<div class="row"><dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd></div>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${escapeHtml(brand.name)} — ${escapeHtml(brand.content.title)}</title>
<style>
body{margin:0;font:16px/1.5 system-ui,sans-serif;background:#f4f6fb;color:#14213d}
main{max-width:28rem;margin:0 auto;padding:1.5rem}
header{display:flex;gap:.75rem;align-items:center;margin-bottom:1rem}
header img{width:3rem;height:3rem;border-radius:.75rem;object-fit:cover;background:#fff}
.kind{text-transform:uppercase;letter-spacing:.08em;font-size:.75rem;color:#52607a;margin:0}
h1{font-size:1.35rem;margin:.1rem 0 0}
.card{background:#fff;border-radius:1rem;padding:1rem 1.25rem;box-shadow:0 1px 3px rgba(20,33,61,.12)}
.row{display:flex;justify-content:space-between;gap:1rem;padding:.5rem 0;border-bottom:1px solid #e6e9f2}
.row:last-child{border-bottom:0} dt{color:#52607a} dd{margin:0;font-weight:600;text-align:right}
</style></head>
<body><main data-testid="call-content" data-kind="${brand.content.kind}">
<header>${logoUrl ? `<img src="${escapeHtml(logoUrl)}" alt="">` : ''}<div><p class="kind">${escapeHtml(HEADLINE[brand.content.kind])}</p><h1>${escapeHtml(brand.content.title)}</h1></div></header>
<section class="card"><p><strong>${escapeHtml(brand.name)}</strong> is calling you about this.</p><dl>${rows}</dl></section>
</main></body></html>`;
}
