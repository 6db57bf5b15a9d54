/** /chat/demo.html: a page of a fictional bank website with the chat widget embedded, for demos and the e2e test. */
export const DEMO_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Acme Bank — help</title>
<style>
  body { margin: 0; font: 16px/1.6 system-ui, sans-serif; color: #141827; background: #f6f7fb; }
  header { background: #0f172a; color: #fff; padding: 18px 32px; font-weight: 700; font-size: 20px; }
  main { max-width: 720px; margin: 40px auto; padding: 0 24px; }
  h1 { font-size: 32px; margin: 0 0 12px; }
  .card { background: #fff; border: 1px solid #dde1ec; border-radius: 12px; padding: 20px 24px; margin: 16px 0; }
</style>
</head>
<body>
<header>Acme Bank</header>
<main>
  <h1>How can we help?</h1>
  <div class="card"><strong>Lost card?</strong> Freeze it in the app, then chat with us to order a new one.</div>
  <div class="card"><strong>Questions about a payment?</strong> Our support team answers in the chat, bottom right.</div>
  <p>This is a demo page of callsight's embeddable chat widget: one script tag.</p>
</main>
<script src="/chat/widget.js" data-tenant="acme" data-queue="support"></script>
</body>
</html>
`;
