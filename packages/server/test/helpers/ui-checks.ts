import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

/** Where the UI tests leave their screenshots for a reviewer (gitignored). */
export const ARTIFACTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-artifacts');

/** The sizes every screen is checked at: a phone and a desktop. */
export const VIEWPORTS = {
  phone: { width: 390, height: 844 },
  desktop: { width: 1440, height: 900 },
} as const;
export type ViewportName = keyof typeof VIEWPORTS;

/** Saves a screenshot as test-artifacts/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: opts.fullPage ?? false });
  return file;
}

/**
 * An axe-core scan of what the page shows now (WCAG 2.1 A/AA rules); returns the
 * serious and critical violations as "rule: target" lines, for an assert to print.
 */
export async function seriousA11yViolations(page: Page, opts: { exclude?: string[] } = {}): Promise<string[]> {
  // A row fading in as the scan runs reads as low contrast; scan the settled page, as
  // with reduced motion (the stylesheet turns animations off for it).
  await page.emulateMedia({ reducedMotion: 'reduce' });
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']);
  for (const sel of opts.exclude ?? []) builder = builder.exclude(sel);
  const result = await builder.analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} — ${v.help}`));
}

/** Text a person must never see on a screen: raw ids, error codes, JSON. */
export const RAW_TEXT = /\b(?:usr|call|int|card|room|sip|brand)_[0-9a-z]{10,}\b|\b[a-z]+_[a-z_]+\b(?= *\))|\{\s*"/;
