/**
 * A plain HTML notice (no script) for what a person opens in a browser and the
 * API cannot show as an app screen: an unknown page, an expired link. API
 * clients keep getting problem+json; these are only for page loads.
 */
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const STYLE = `:root{color-scheme:light dark}body{margin:0;font:16px/1.5 system-ui,sans-serif;background:#f6f7fb;color:#141827}
main{max-width:30rem;margin:12vh auto 0;padding:1.5rem}.card{background:#fff;border:1px solid #dde1ec;border-radius:12px;padding:1.5rem 1.5rem 1.25rem}
.mark{display:flex;align-items:center;gap:.5rem;font-weight:700;margin-bottom:1rem}.mark svg{width:28px;height:28px}
h1{font-size:1.35rem;margin:0 0 .4rem}p{margin:.25rem 0 1rem;color:#3b4256}nav{display:flex;flex-wrap:wrap;gap:.5rem}
a{color:#3730a3;font-weight:600}nav a{padding:.45rem .8rem;border:1px solid #dde1ec;border-radius:8px;text-decoration:none}
@media (prefers-color-scheme:dark){body{background:#0e111a;color:#eef0f7}.card{background:#161a26;border-color:#2b3245}p{color:#c2c8d8}a{color:#a9a6ff}nav a{border-color:#2b3245}}`;

const MARK =
  '<svg viewBox="0 0 64 64" aria-hidden="true"><rect width="64" height="64" rx="14" fill="#4338ca"/><path d="M22 17c2-1 4 0 5 2l3 7c1 2 0 4-1 5l-3 2c2 5 6 9 11 11l2-3c1-1 3-2 5-1l7 3c2 1 3 3 2 5l-2 5c-1 2-3 3-5 3C31 56 8 33 10 18c0-2 1-4 3-5z" fill="#fff"/></svg>';

export interface NoticeLink {
  href: string;
  text: string;
}

export function renderNoticePage(opts: { title: string; text: string; links?: NoticeLink[]; testId?: string }): string {
  const links = (opts.links ?? []).map((l) => `<a href="${esc(l.href)}">${esc(l.text)}</a>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><link rel="icon" href="/favicon.svg" type="image/svg+xml"><title>${esc(opts.title)} · callsight</title><style>${STYLE}</style></head>
<body><main><div class="card" data-testid="${esc(opts.testId ?? 'notice')}"><div class="mark">${MARK}<span>callsight</span></div>
<h1>${esc(opts.title)}</h1><p>${esc(opts.text)}</p>${links ? `<nav aria-label="Where to go">${links}</nav>` : ''}</div></main></body></html>`;
}

/** Whether a request is a page load in a browser (not an API or asset fetch), which gets HTML rather than JSON. */
export function wantsHtml(req: { method: string; url: string; headers: Record<string, string | string[] | undefined> }): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const path = req.url.split('?')[0]!;
  if (path === '/api' || path.startsWith('/api/')) return false;
  const accept = req.headers.accept;
  return typeof accept === 'string' && accept.includes('text/html');
}

export const NOT_FOUND_PAGE = renderNoticePage({
  title: 'Page not found',
  text: 'There is nothing at this address. It may have moved, or the link may be mistyped.',
  links: [
    { href: '/', text: 'Home' },
    { href: '/phone/', text: 'Phone' },
    { href: '/agent/', text: 'Agent desktop' },
    { href: '/admin/', text: 'Admin' },
    { href: '/rooms/', text: 'Rooms' },
  ],
  testId: 'not-found',
});
