import type { LinkOutcome } from './deflection-service.js';

/** A JS string literal safe inside <script> (no closing tag can appear). */
const jsString = (s: string) => JSON.stringify(s).replace(/</g, '\\u003c');

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const MESSAGES: Record<Exclude<LinkOutcome['kind'], 'chat'>, { title: string; body: string }> = {
  invalid: { title: 'This link is not valid', body: 'Check that you opened the whole link from our text message.' },
  used: { title: 'This link was already used', body: 'Each link works once. If you closed the chat, call us again or start a chat on our website.' },
  expired: { title: 'This link has expired', body: 'The offer to continue in chat has ended. Your call continued as usual; you can call us again at any time.' },
};

function page(title: string, body: string, extra = ''): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escape(title)}</title>
<style>
  body { margin: 0; font: 16px/1.6 system-ui, sans-serif; color: #141827; background: #f6f7fb; }
  main { max-width: 560px; margin: 48px auto; padding: 0 24px; }
  h1 { font-size: 26px; margin: 0 0 8px; }
</style>
</head>
<body>
<main><h1 data-testid="deflect-title">${escape(title)}</h1><p>${escape(body)}</p></main>
${extra}
</body>
</html>
`;
}

/**
 * The page behind /d/<token>. On success it hands the visitor token to the
 * chat widget (through the sessionStorage key the widget reads) and opens it,
 * so the caller lands in the conversation that agents already see.
 */
export function linkPage(outcome: LinkOutcome): string {
  if (outcome.kind !== 'chat') return page(MESSAGES[outcome.kind].title, MESSAGES[outcome.kind].body);
  // The widget's own storage key (widget-script.ts): origin and tenant.
  const boot = `<script>sessionStorage.setItem('callsight-chat:' + location.origin + ':' + ${jsString(outcome.tenantSlug)}, ${jsString(outcome.visitorToken)});</script>
<script src="/chat/widget.js" data-tenant="${escape(outcome.tenantSlug)}" data-queue="${escape(outcome.queue)}"></script>
<script>document.querySelector('[data-testid=chat-launcher]')?.click();</script>`;
  return page('You are now in chat', 'Your call has ended and an agent will answer you here. Your place and what you told us are kept.', boot);
}
