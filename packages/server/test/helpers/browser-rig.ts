import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import type { AnyEvent } from '../../src/bus/event-map.js';
import { CHROMIUM, WEB_DIST, launchChromium, requireBrowserAndWeb, signIn, toneWav } from './chromium.js';
import { startTestServer, type TestServer, type TestServerOptions } from './test-server.js';

/**
 * The setup every e2e test repeated: a test server serving the built web apps, headless
 * Chromium (one per fake microphone, since that file is a browser-wide flag), pages signed
 * in to an app, the bus events the test asserts on, and one `close()` for all of it.
 */
export interface BrowserRigOptions {
  /** The built web app(s) the test drives, checked first: a missing build fails the test, never skips it. */
  apps?: string[];
  /** Test server options; `config.webDir` defaults to the web build. */
  server?: TestServerOptions;
  /** Bus event type prefixes collected into `into` from before the first page opens. */
  events?: { types: string[]; into: AnyEvent[] };
  /** The first Chromium's fake microphone: `true` for Chromium's own fake device, `{ hz, seconds }` for a tone. */
  microphone?: Microphone;
}

export type Microphone = true | { hz: number; seconds: number };

export interface OpenOptions extends PageOptions {
  /** Sign in on the app's login form as this user. */
  as?: string;
  /** Wait for the app's softphone (the /phone and /agent apps) once signed in. */
  softphone?: boolean;
}

export interface PageOptions {
  /** Playwright's default timeout for the page, ms. */
  timeout?: number;
  /** A browser of `rig.launch()` instead of the first one. */
  browser?: Browser;
  /** New-context options (viewport, isMobile, …). */
  context?: BrowserContextOptions;
  /** The prefix of the page's console lines with E2E_DEBUG set. */
  label?: string;
  /** Runs before the page loads, e.g. to answer the dialogs it opens or add init scripts. */
  beforeLoad?: (page: Page) => unknown;
}

export interface BrowserRig {
  s: TestServer;
  /** The first Chromium, launched with `microphone`. */
  browser: Browser;
  /** A scratch directory removed by `close()` (tones live here). */
  dir: string;
  /** The server's SIP UDP port. */
  sipPort(): number;
  /** Another Chromium, e.g. with its own microphone tone; closed with the rig. */
  launch(microphone?: Microphone): Promise<Browser>;
  /** A page in a fresh context, not yet anywhere (for tests that navigate themselves). */
  page(opts?: PageOptions): Promise<Page>;
  /** A page in a fresh context at `appPath` (e.g. '/phone/'), optionally signed in and ready. */
  open(appPath: string, opts?: OpenOptions): Promise<Page>;
  close(): Promise<void>;
}

export async function startBrowserRig(opts: BrowserRigOptions = {}): Promise<BrowserRig> {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium package (npm test does)`);
  for (const app of opts.apps ?? []) requireBrowserAndWeb(app);
  const dir = mkdtempSync(path.join(tmpdir(), 'browser-rig-'));
  const browsers: Browser[] = [];
  let s: TestServer | undefined;
  let tones = 0;

  const launch = async (microphone?: Microphone): Promise<Browser> => {
    const fakeMedia = microphone === undefined || microphone === true ? microphone : toneWav(path.join(dir, `tone-${++tones}-${microphone.hz}.wav`), microphone.hz, microphone.seconds);
    const browser = await launchChromium(fakeMedia ? { fakeMedia } : {});
    browsers.push(browser);
    return browser;
  };
  const close = async () => {
    for (const b of browsers.splice(0)) await b.close().catch(() => {});
    await s?.destroy();
    s = undefined;
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const server = opts.server ?? {};
    s = await startTestServer({ ...server, config: { webDir: WEB_DIST, ...server.config } });
    if (opts.events) {
      const into = opts.events.into;
      await s.ctx.bus.subscribe({ types: opts.events.types }, (e) => void into.push(e));
    }
    const browser = await launch(opts.microphone);
    const running = s;
    const newPage = async (o: PageOptions = {}): Promise<Page> => {
      const page = await (await (o.browser ?? browser).newContext(o.context)).newPage();
      page.setDefaultTimeout(o.timeout ?? 8000);
      if (process.env.E2E_DEBUG) page.on('console', (m) => console.log(`[${o.label ?? 'page'}]`, m.type(), m.text()));
      await o.beforeLoad?.(page);
      return page;
    };
    return {
      s: running,
      browser,
      dir,
      sipPort: () => running.ctx.services.get('telephony').endpoint.ports.udp,
      launch,
      page: (o) => newPage(o),
      async open(appPath, o = {}) {
        const page = await newPage({ label: appPath, ...o });
        await page.goto(running.url + appPath);
        if (o.as) await signIn(page, o.as);
        if (o.softphone) await page.getByTestId('softphone').waitFor();
        return page;
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Speakers in a room, one Chromium each with its own microphone tone, live on the /rooms stage. */
export async function joinRoomSpeakers(rig: BrowserRig, cookie: string, roomId: string, speakers: readonly (readonly [name: string, hz: number])[], opts: { timeout?: number } = {}): Promise<Page[]> {
  const pages: Page[] = [];
  for (const [name, hz] of speakers) {
    const token = (await rig.s.api('POST', `/api/rooms/${roomId}/tokens`, { cookie, body: { role: 'speaker', name } })).body.token;
    const page = await rig.open(`/rooms/#token=${token}`, { browser: await rig.launch({ hz, seconds: 40 }), label: name, timeout: opts.timeout ?? 10_000 });
    await page.getByTestId('lobby-join').click();
    await page.locator('[data-testid=room-stage][data-status=live]').waitFor();
    pages.push(page);
  }
  return pages;
}
