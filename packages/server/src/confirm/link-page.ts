import type { FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app-context.js';
import { CallsightError } from '../core/errors.js';
import { acceptFormBodies } from '../http/form-body.js';
import type { HttpApp } from '../http/http-types.js';
import { LinkError } from './card-links.js';
import type { CardField, CardValues, FieldIssue } from '@callsight/protocol';
import type { Card } from '@callsight/protocol';
import type { ConfirmService } from './confirm-service.js';

/**
 * `/c/<token>`: the card for a caller on a plain phone, as one small page that
 * works without JavaScript. The browser checks the same rules first through
 * HTML constraints generated from the card's fields (required, pattern, min,
 * max); the server checks everything again, checksums included.
 */

const esc = (s: unknown) =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f6f7fb;color:#141827}
main{max-width:28rem;margin:0 auto;padding:1.5rem 1rem}.card{background:#fff;border:1px solid #dde1ec;border-radius:12px;padding:1.25rem}
h1{font-size:1.3rem;margin:0 0 .5rem}label{display:block;font-weight:600;margin-top:.9rem}input,select,textarea{width:100%;box-sizing:border-box;font:inherit;padding:.55rem;border:1px solid #b9bfd0;border-radius:8px;margin-top:.25rem}
input[type=checkbox]{width:auto}.err{color:#b42318;font-weight:400;display:block}.row{display:flex;gap:.5rem;margin-top:1.2rem}
button{flex:1;font:inherit;font-weight:600;padding:.7rem;border-radius:8px;border:1px solid #4338ca;background:#4338ca;color:#fff}
button.secondary{background:#fff;color:#4338ca}table{width:100%;border-collapse:collapse}td{padding:.25rem 0}td.n{text-align:right}
.banner{background:#fde7e5;color:#b42318;border-radius:8px;padding:.6rem;margin:.6rem 0}.muted{color:#525a70;font-size:.9rem}`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${esc(title)}</title><style>${STYLE}</style></head><body><main><div class="card">${body}</div></main></body></html>`;
}

function inputFor(f: CardField, value: CardValues[string], error?: string): string {
  const id = `f_${f.name}`;
  const common = `id="${id}" name="${esc(f.name)}"${f.required ? ' required' : ''}${f.readOnly ? ' readonly' : ''}`;
  let control: string;
  switch (f.type) {
    case 'enum':
      control = `<select ${common}><option value="">Choose…</option>${(f.options ?? [])
        .map((o) => `<option${o === value ? ' selected' : ''}>${esc(o)}</option>`)
        .join('')}</select>`;
      break;
    case 'boolean':
      control = `<input type="checkbox" ${common.replace(' required', '')}${value === true ? ' checked' : ''}>`;
      break;
    case 'number':
      control = `<input type="number" step="any" ${common}${f.min !== undefined ? ` min="${f.min}"` : ''}${f.max !== undefined ? ` max="${f.max}"` : ''} value="${esc(value)}">`;
      break;
    case 'date':
      control = `<input type="date" ${common} value="${esc(value)}">`;
      break;
    case 'string':
      control = `<input type="text" ${common}${f.pattern ? ` pattern="${esc(f.pattern)}"` : ''}${f.min !== undefined ? ` minlength="${f.min}"` : ''}${f.max !== undefined ? ` maxlength="${f.max}"` : ''} value="${esc(value)}">`;
      break;
  }
  return `<label for="${id}">${esc(f.label)}${f.required ? '' : ' <span class="muted">(optional)</span>'}${error ? `<span class="err">${esc(error)}</span>` : ''}</label>${control}`;
}

export function renderCardPage(card: Card, token: string, issues: FieldIssue[] = [], draft?: CardValues): string {
  const { content } = card;
  const last = (i: FieldIssue) => i.path.split('.').pop()!;
  const fieldNames = new Set(content.fields.map((f) => f.name));
  const errors = new Map(issues.filter((i) => fieldNames.has(last(i))).map((i) => [last(i), i.message]));
  const general = issues.filter((i) => !fieldNames.has(last(i))).map((i) => `${last(i)} ${i.message}`);
  const values = draft ?? content.values;
  const items = content.items
    ? `<table>${content.items.map((i) => `<tr><td>${i.qty} × ${esc(i.name)}</td><td class="n">${(i.qty * i.price).toFixed(2)}</td></tr>`).join('')}</table>`
    : '';
  return page(
    content.title,
    `<h1>${esc(content.title)}</h1>${content.message ? `<p>${esc(content.message)}</p>` : ''}${items}
${general.length ? `<div class="banner" role="alert">${general.map(esc).join('<br>')}</div>` : ''}
<form method="post" action="/c/${esc(token)}">
<input type="hidden" name="_version" value="${card.version}">
${content.fields.map((f) => inputFor(f, values[f.name] ?? null, errors.get(f.name))).join('\n')}
<div class="row"><button type="submit" name="_decision" value="confirm">Confirm</button></div>
<label for="reason">Something wrong? Tell us why</label><textarea id="reason" name="_reason" rows="2" maxlength="500"></textarea>
<div class="row"><button class="secondary" type="submit" name="_decision" value="reject" formnovalidate>Reject</button></div>
</form><p class="muted">Version ${card.version} · expires ${esc(new Date(card.expiresAt).toUTCString())}</p>`,
  );
}

export const renderNotice = (title: string, text: string) => page(title, `<h1>${esc(title)}</h1><p>${esc(text)}</p>`);

/** Form posts are strings: turn them back into the field's type so the shared rules apply unchanged. */
export function valuesFromForm(fields: CardField[], form: Record<string, string>): CardValues {
  const out: CardValues = {};
  for (const f of fields) {
    if (f.readOnly) continue;
    const raw = form[f.name];
    if (f.type === 'boolean') out[f.name] = raw === 'on' || raw === 'true';
    else if (raw === undefined || raw === '') out[f.name] = null;
    else if (f.type === 'number') out[f.name] = Number.isFinite(Number(raw)) ? Number(raw) : raw;
    else out[f.name] = raw;
  }
  return out;
}

const tokenParam = z.object({ token: z.string().min(10).max(400) }).strict();

function send(reply: FastifyReply, status: number, html: string) {
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    // The token is in the URL: never leak it to another origin.
    .header('referrer-policy', 'no-referrer')
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
    .send(html);
}

const NOTICE: Record<string, [string, string]> = {
  link_invalid: ['Link not valid', 'This link is not valid. Ask the agent for a new one.'],
  link_expired: ['Link expired', 'This link has expired. Ask the agent for a new one.'],
  link_used: ['Link already used', 'This link has already been used; your answer was recorded the first time. Nothing was changed.'],
  card_expired: ['Card expired', 'This card has expired and nothing was recorded. Ask the agent to send it again.'],
  card_version_stale: ['Card was updated', 'The agent changed this card after you opened it. Open the link again to see the new version.'],
  card_already_answered: ['Already answered', 'This card was already answered. Nothing was changed.'],
};

export function linkPageRoutes(service: ConfirmService) {
  return async (app: HttpApp, _ctx: AppContext): Promise<void> => {
    // Plain HTML forms post urlencoded bodies; the parser is scoped to these routes only.
    await app.register(async (plain) => {
      const scope = plain.withTypeProvider<ZodTypeProvider>();
      acceptFormBodies(plain);

      const problemPage = (reply: FastifyReply, err: unknown) => {
        if (!(err instanceof CallsightError) || !NOTICE[err.code]) throw err;
        const [title, text] = NOTICE[err.code];
        return send(reply, err instanceof LinkError ? err.status : 409, renderNotice(title, text));
      };

      scope.get('/c/:token', { config: { auth: false }, schema: { hide: true, params: tokenParam } }, async (req, reply) => {
        try {
          const link = await service.links.resolve(req.params.token);
          const card = (await service.find(link.tenantId, link.cardId))!;
          if (card.status === 'expired' || card.expiresAt <= Date.now()) return problemPage(reply, new CallsightError('card_expired', '', { status: 409 }));
          if (card.status !== 'presented') return problemPage(reply, new CallsightError('card_already_answered', '', { status: 409 }));
          return send(reply, 200, renderCardPage(card, req.params.token));
        } catch (err) {
          return problemPage(reply, err);
        }
      });

      scope.post(
        '/c/:token',
        { config: { auth: false }, schema: { hide: true, params: tokenParam, body: z.record(z.string(), z.string().max(1000)) } },
        async (req, reply) => {
          const form = req.body;
          try {
            const link = await service.links.resolve(req.params.token);
            const card = (await service.find(link.tenantId, link.cardId))!;
            const decision = form._decision === 'reject' ? 'reject' : 'confirm';
            const values = valuesFromForm(card.content.fields, form);
            try {
              const answered = await service.answer({ via: 'link', tenantId: link.tenantId, linkId: link.id }, card.id, {
                version: Number(form._version),
                decision,
                values: decision === 'confirm' ? values : undefined,
                reason: decision === 'reject' ? form._reason : undefined,
              });
              await service.links.consume(link.id);
              const done = answered.status === 'rejected' ? 'We noted that this is not right. The agent will follow up.' : 'Thank you, your answer was sent to the agent.';
              return send(reply, 200, renderNotice(answered.status === 'rejected' ? 'Rejected' : 'Confirmed', done));
            } catch (err) {
              // Invalid values: show the form again with the messages; the link stays usable.
              if (err instanceof CallsightError && err.code === 'card_invalid') return send(reply, 400, renderCardPage(card, req.params.token, err.fields ?? [], { ...card.content.values, ...values }));
              throw err;
            }
          } catch (err) {
            return problemPage(reply, err);
          }
        },
      );
    });
  };
}
