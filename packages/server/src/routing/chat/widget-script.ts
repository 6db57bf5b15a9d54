/**
 * The embeddable web-chat widget, served as /chat/widget.js. Plain browser
 * JavaScript (no build step, no dependencies) so any site can include it:
 *
 *   <script src="https://callsight.example/chat/widget.js" data-tenant="acme" data-queue="support"></script>
 *
 * `data-customer` makes it start the chat as the logged-in customer (the /phone
 * app) instead of an anonymous visitor. The session token lives in
 * sessionStorage so a reload continues the same chat.
 */
export const WIDGET_SCRIPT = String.raw`(() => {
  const me = document.currentScript;
  const origin = new URL(me.src, location.href).origin;
  const tenant = me.dataset.tenant || 'acme';
  const queue = me.dataset.queue || 'support';
  const asCustomer = me.hasAttribute('data-customer');
  const storeKey = 'callsight-chat:' + origin + ':' + tenant + (asCustomer ? ':customer' : '');
  let token = sessionStorage.getItem(storeKey);
  let socket = null;
  let typingTimer = 0;
  let sentTyping = false;
  const seen = new Set();

  const css = document.createElement('style');
  css.textContent = [
    '.csw{position:fixed;right:20px;bottom:20px;z-index:2147483000;font:15px/1.45 system-ui,sans-serif;color:#141827}',
    '.csw-btn{border:0;border-radius:999px;background:#4338ca;color:#fff;padding:12px 20px;font:inherit;font-weight:600;cursor:pointer;box-shadow:0 4px 16px rgb(16 24 40/20%)}',
    '.csw-panel{display:none;flex-direction:column;width:min(360px,calc(100vw - 40px));height:min(480px,calc(100vh - 100px));background:#fff;border:1px solid #dde1ec;border-radius:14px;box-shadow:0 8px 32px rgb(16 24 40/18%);overflow:hidden;margin-bottom:10px}',
    '.csw-open .csw-panel{display:flex}',
    '.csw-head{background:#4338ca;color:#fff;padding:12px 14px;font-weight:600;display:flex;justify-content:space-between;align-items:center}',
    '.csw-head button{background:transparent;border:0;color:#fff;font-size:20px;cursor:pointer}',
    '.csw-log{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:6px;background:#f6f7fb}',
    '.csw-msg{max-width:80%;padding:7px 11px;border-radius:12px;background:#fff;border:1px solid #dde1ec;white-space:pre-wrap;word-break:break-word}',
    '.csw-mine{align-self:flex-end;background:#e8e7fd;border-color:#c7c4fb}',
    '.csw-system{align-self:center;background:transparent;border:0;color:#525a70;font-size:13px}',
    '.csw-who{display:block;font-size:12px;color:#525a70}',
    '.csw-typing{min-height:20px;padding:0 12px;font-size:13px;color:#525a70;background:#f6f7fb}',
    '.csw-form{display:flex;gap:6px;padding:10px;border-top:1px solid #dde1ec}',
    '.csw-form input{flex:1;min-width:0;padding:9px 10px;border:1px solid #dde1ec;border-radius:8px;font:inherit}',
    '.csw-form button{border:0;border-radius:8px;background:#4338ca;color:#fff;padding:0 14px;font:inherit;font-weight:600;cursor:pointer}',
    '.csw-error{color:#b42318;font-size:13px;padding:0 12px}',
  ].join('');
  document.head.appendChild(css);

  const root = document.createElement('div');
  root.className = 'csw';
  root.innerHTML =
    '<div class="csw-panel" role="dialog" aria-label="Chat with us">' +
    '<div class="csw-head"><span>Chat with us</span><button type="button" aria-label="Close chat" data-csw="close">×</button></div>' +
    '<div class="csw-log" aria-live="polite" data-testid="chat-log"></div>' +
    '<div class="csw-typing" data-testid="chat-typing"></div>' +
    '<div class="csw-error" role="alert"></div>' +
    '<form class="csw-form"><input name="text" autocomplete="off" placeholder="Type a message" aria-label="Message" data-testid="chat-input" maxlength="4000"><button type="submit" data-testid="chat-send">Send</button></form>' +
    '</div><button type="button" class="csw-btn" data-testid="chat-launcher">Chat with us</button>';
  document.body.appendChild(root);
  const log = root.querySelector('.csw-log');
  const typingLine = root.querySelector('.csw-typing');
  const errorLine = root.querySelector('.csw-error');
  const form = root.querySelector('form');
  const input = form.elements.text;

  function show(m) {
    if (seen.has(m.id)) return;
    seen.add(m.id);
    const el = document.createElement('div');
    const mine = m.author === 'visitor' || m.author === 'customer';
    el.className = 'csw-msg' + (mine ? ' csw-mine' : '') + (m.author === 'system' ? ' csw-system' : '');
    el.dataset.testid = 'chat-message';
    el.dataset.author = m.author;
    if (m.author === 'agent') {
      const who = document.createElement('span');
      who.className = 'csw-who';
      who.textContent = m.authorName;
      el.appendChild(who);
    }
    el.appendChild(document.createTextNode(m.text));
    log.appendChild(el);
    log.scrollTop = log.scrollHeight;
  }
  const fail = (text) => (errorLine.textContent = text || '');

  async function call(method, path, body) {
    const headers = { 'content-type': 'application/json' };
    if (token) headers['x-chat-token'] = token;
    const res = await fetch(origin + path, { method, headers, credentials: asCustomer ? 'include' : 'omit', body: body === undefined ? undefined : JSON.stringify(body) });
    if (res.status === 204) return null;
    const data = await res.json().catch(() => ({}));
    if (!res.ok) {
      const err = new Error(data.detail || data.title || 'Chat is unavailable');
      err.status = res.status;
      throw err;
    }
    return data;
  }

  function connect() {
    const url = new URL(origin + '/api/chat/visitor/ws');
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('token', token);
    socket = new WebSocket(url);
    socket.onmessage = (ev) => {
      const msg = JSON.parse(ev.data);
      if (msg.kind !== 'event') return;
      const e = msg.event;
      if (e.type === 'chat.message') show({ id: e.data.messageId, author: e.data.author, authorName: e.data.authorName, text: e.data.text });
      if (e.type === 'chat.typing' && e.data.author === 'agent') typingLine.textContent = e.data.typing ? e.data.authorName + ' is typing…' : '';
      if (e.type === 'chat.closed') { form.hidden = true; typingLine.textContent = ''; sessionStorage.removeItem(storeKey); }
    };
    socket.onclose = (ev) => { if (ev.code !== 4401 && token) setTimeout(connect, 1500); };
  }

  async function resume() {
    try {
      const r = await call('GET', '/api/chat/visitor/messages');
      r.messages.forEach(show);
      if (r.conversation.state === 'closed') { form.hidden = true; sessionStorage.removeItem(storeKey); return; }
      connect();
    } catch (err) {
      token = null;
      sessionStorage.removeItem(storeKey);
    }
  }

  async function start(firstMessage) {
    const name = asCustomer ? undefined : me.dataset.name || prompt('Your name?') || 'Visitor';
    const r = asCustomer
      ? await call('POST', '/api/chat/conversations', { queue, message: firstMessage })
      : await call('POST', '/api/chat/visitor/conversations', { tenant, queue, name, message: firstMessage });
    token = r.token;
    sessionStorage.setItem(storeKey, token);
    r.messages.forEach(show);
    connect();
  }

  function signalTyping(typing) {
    if (sentTyping === typing || !socket || socket.readyState !== 1) return;
    sentTyping = typing;
    socket.send(JSON.stringify({ kind: 'typing', typing }));
  }

  input.addEventListener('input', () => {
    signalTyping(input.value.length > 0);
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => signalTyping(false), 3000);
  });

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    signalTyping(false);
    fail('');
    try {
      if (!token) await start(text);
      else show(await call('POST', '/api/chat/visitor/messages', { text }));
    } catch (err) {
      fail(err.message);
      input.value = text;
    }
  });

  root.querySelector('.csw-btn').addEventListener('click', () => { root.classList.toggle('csw-open'); input.focus(); });
  root.querySelector('[data-csw=close]').addEventListener('click', () => root.classList.remove('csw-open'));
  if (token) resume();
})();
`;
