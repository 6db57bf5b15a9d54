import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
/** The built web apps the e2e servers serve (`npm test` builds them first). */
export const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../web/dist');

/** No network beyond 127.0.0.1: these flags stop Chromium's own background traffic. */
const BASE_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Fails (never skips) without Debian's chromium or without a web build. */
export function requireBrowserAndWeb(app = 'index.html'): void {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium package (npm test does)`);
  assert.ok(existsSync(path.join(WEB_DIST, app)), `${WEB_DIST} has no ${app}: run npm run build`);
}

/**
 * Headless Debian Chromium. With `fakeMedia`, getUserMedia is granted without a prompt;
 * given a WAV path the microphone plays it, so a test can check what the far end hears.
 * `args` adds flags, such as `--ignore-certificate-errors` for a test's self-signed certificate.
 */
export function launchChromium(opts: { fakeMedia?: true | string; args?: string[] } = {}): Promise<Browser> {
  const media = opts.fakeMedia
    ? [
        '--use-fake-ui-for-media-stream',
        '--use-fake-device-for-media-stream',
        ...(typeof opts.fakeMedia === 'string' ? [`--use-file-for-fake-audio-capture=${opts.fakeMedia}`] : []),
        '--autoplay-policy=no-user-gesture-required',
        '--disable-features=WebRtcHideLocalIpsWithMdns',
      ]
    : [];
  return chromium.launch({ executablePath: CHROMIUM, args: [...BASE_ARGS, ...media, ...(opts.args ?? [])] });
}

/** Opens a web app at `appUrl` signed in as `email`, ready once its softphone is (the /phone and /agent apps). */
export async function openSoftphone(page: Page, appUrl: string, email: string): Promise<void> {
  // The softphone renders before its socket is up; a call placed in between finds nobody to ring.
  const signedIn = new Promise<void>((resolve) =>
    page.on('websocket', (ws) => ws.on('framereceived', ({ payload }) => {
      if (/"kind":"hello".*"userId":"usr_/.test(String(payload))) resolve();
    })),
  );
  await page.goto(appUrl);
  await signIn(page, email);
  await page.getByTestId('softphone').waitFor();
  await Promise.race([signedIn, new Promise((_, reject) => setTimeout(() => reject(new Error(`${email}'s phone socket never said hello`)), 8000).unref())]);
}

/** A tone as a fake microphone for Chromium (`launchChromium({ fakeMedia })`): 48 kHz mono WAV at half scale. */
export function toneWav(file: string, hz: number, seconds: number): string {
  execFileSync('sox', ['-n', '-r', '48000', '-c', '1', '-b', '16', file, 'synth', String(seconds), 'sine', String(hz), 'vol', '0.5']);
  return file;
}

/** Signs in on the login form every web app shares (the page shows it when there is no session). */
export async function signIn(page: Page, email: string, password = 'demo'): Promise<void> {
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}
