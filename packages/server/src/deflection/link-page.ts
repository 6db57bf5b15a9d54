import type { LinkOutcome } from './link-actions.js';

/** A JS string literal safe inside <script> (no closing tag can appear). */
const jsString = (s: string) => JSON.stringify(s).replace(/</g, '\\u003c');

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

type Notice = Extract<LinkOutcome, { kind: 'invalid' | 'used' | 'expired' | 'message_sent' }>['kind'];

const MESSAGES: Record<Notice, { title: string; body: string }> = {
  invalid: { title: 'This link is not valid', body: 'Check that you opened the whole link from our text message.' },
  used: { title: 'This link was already used', body: 'Each link works once. If you closed the chat, call us again or start a chat on our website.' },
  expired: { title: 'This link has expired', body: 'The offer to continue online has ended. Your call continued as usual; you can call us again at any time.' },
  message_sent: { title: 'Message sent', body: 'Thank you. An agent will read your message and get back to you.' },
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
  main { max-width: 560px; margin: 32px auto; padding: 0 20px; }
  h1 { font-size: 26px; margin: 0 0 8px; }
  h2 { font-size: 18px; margin: 24px 0 8px; }
  fieldset { border: 0; padding: 0; margin: 0; }
  .choice { display: flex; gap: 12px; align-items: center; padding: 14px 16px; margin: 8px 0; background: #fff; border: 1px solid #d9dcea; border-radius: 12px; font-size: 18px; }
  .choice b { display: inline-block; min-width: 28px; height: 28px; border-radius: 14px; background: #e8ebf7; text-align: center; }
  textarea, select { width: 100%; box-sizing: border-box; font: inherit; padding: 10px; border: 1px solid #c5c9da; border-radius: 10px; }
  button { display: block; width: 100%; margin: 10px 0; padding: 14px; font: inherit; font-weight: 600; border: 0; border-radius: 12px; background: #2446c8; color: #fff; }
  button.secondary { background: #fff; color: #2446c8; border: 1px solid #2446c8; }
</style>
</head>
<body>
<main><h1 data-testid="deflect-title">${escape(title)}</h1><p>${escape(body)}</p>${extra}</main>
</body>
</html>
`;
}

/** Slot times as the caller's local time; the server only knows UTC. */
const LOCAL_TIMES = `<script>for (const o of document.querySelectorAll('[data-at]')) { const d = new Date(Number(o.dataset.at)); o.textContent = d.toLocaleString([], { weekday: 'short', hour: '2-digit', minute: '2-digit' }); }</script>`;

function slotPicker(slots: number[]): string {
  const options = slots.map((at, i) => (i === 0 ? `<option value="${at}">As soon as possible</option>` : `<option value="${at}" data-at="${at}">${new Date(at).toISOString().slice(11, 16)} UTC</option>`)).join('');
  return `<h2>Call me back</h2>
<select name="slotAt" data-testid="callback-slot" aria-label="When should we call you?">${options}</select>
<button name="action" value="callback" class="secondary" data-testid="callback-book">Book the call back</button>`;
}

/**
 * The page behind /d/<token>. Chat: it hands the visitor token to the chat
 * widget (through the sessionStorage key the widget reads) and opens it, so the
 * caller lands in the conversation that agents already see. Menu: the number's
 * menu choices, each leading to chat, a message or a call back (a plain form, so
 * it works on any phone browser). Callback: the slots to book.
 */
export function linkPage(outcome: LinkOutcome): string {
  switch (outcome.kind) {
    case 'chat': {
      // The widget's own storage key (widget-script.ts): origin and tenant.
      const boot = `<script>sessionStorage.setItem('callsight-chat:' + location.origin + ':' + ${jsString(outcome.tenantSlug)}, ${jsString(outcome.visitorToken)});</script>
<script src="/chat/widget.js" data-tenant="${escape(outcome.tenantSlug)}" data-queue="${escape(outcome.queue)}"></script>
<script>document.querySelector('[data-testid=chat-launcher]')?.click();</script>`;
      return page('You are now in chat', 'An agent will answer you here. Your place and what you told us are kept.', boot);
    }
    case 'menu': {
      const choices = outcome.choices
        .map((c, i) => `<label class="choice" data-testid="menu-choice"><input type="radio" name="choice" value="${escape(c.digits)}" required${i === 0 && outcome.choices.length === 1 ? ' checked' : ''}><b>${escape(c.digits)}</b> ${escape(c.label)}</label>`)
        .join('\n');
      const form = `<form method="post" action="/d/${escape(outcome.token)}">
<fieldset>${choices}</fieldset>
<button name="action" value="chat" data-testid="menu-chat">Chat with us now</button>
<h2>Leave a message</h2>
<textarea name="message" rows="3" maxlength="2000" data-testid="menu-message" aria-label="Your message"></textarea>
<button name="action" value="message" class="secondary" data-testid="menu-send-message">Send the message</button>
${slotPicker(outcome.slots)}
</form>${LOCAL_TIMES}`;
      return page('How can we help?', outcome.choices.length ? 'Pick what your call is about, then how you want to continue. Your call has ended; nothing is lost.' : 'Choose how you want to continue.', form);
    }
    case 'callback':
      return page(
        'Book a call back',
        'Choose when we should call you. An agent will be on the line when you answer.',
        `<form method="post" action="/d/${escape(outcome.token)}">${slotPicker(outcome.slots)}</form>${LOCAL_TIMES}`,
      );
    case 'callback_booked':
      return page(
        'Call back booked',
        outcome.asap ? 'We are calling you now.' : 'We will call you at the time below.',
        outcome.asap ? '' : `<p data-testid="callback-time" data-at="${outcome.slotAt}">${new Date(outcome.slotAt).toISOString()}</p>${LOCAL_TIMES}`,
      );
    default:
      return page(MESSAGES[outcome.kind].title, MESSAGES[outcome.kind].body);
  }
}
