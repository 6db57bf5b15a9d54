import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';

const SDK_ENTRY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../sdk/src/index.ts');
/** A loopback origin (a secure context, so sensors and device orientation work) that never reaches the network: the page is served by `page.route`. */
export const SDK_PAGE_URL = 'http://127.0.0.1:9/sdk.html';

let bundle: Promise<string> | undefined;

/** The SDK from source as one browser script defining `window.Callsight`. */
export function sdkBundle(): Promise<string> {
  bundle ??= build({ entryPoints: [SDK_ENTRY], bundle: true, format: 'iife', globalName: 'Callsight', write: false, target: 'es2022', platform: 'browser', conditions: ['source'] }).then((r) => r.outputFiles[0].text);
  return bundle;
}

/** A blank page with the SDK loaded (`window.Callsight`), for tests of its browser-only parts (Web Audio, sensors). */
export async function sdkPage(browser: Browser, opts: { viewport?: { width: number; height: number }; harness?: string } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: opts.viewport ?? { width: 800, height: 600 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('[sdk page]', e));
  const script = await sdkBundle();
  await page.route(SDK_PAGE_URL, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><html><head><title>SDK</title></head><body></body></html>' }));
  await page.goto(SDK_PAGE_URL);
  // tsx names functions with esbuild's __name(): functions a test passes to page.evaluate call it in the page.
  await page.addScriptTag({ content: 'window.__name = (f) => f;' });
  await page.addScriptTag({ content: script });
  if (opts.harness) await page.addScriptTag({ content: opts.harness });
  return page;
}
