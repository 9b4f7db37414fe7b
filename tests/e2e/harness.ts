import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { startApp } from '../../src/platform/app.ts';
import { loadConfig } from '../../src/platform/config.ts';
import type { AppDeps } from '../../src/platform/http/context.ts';

export const screensDir = '/tmp/screens';

export interface Harness {
  url: string;
  browser: Browser;
  /** The running app's dependencies: tests may move `deps.clock` to make SLA timers fire. */
  deps: AppDeps;
  /** The inbound SMTP receiver's port when INBOUND_SMTP_PORT was given (use '0' for a free one). */
  inboundSmtpPort: number | null;
  stop(): Promise<void>;
}

/** Starts the real server on a random port with a fresh data dir, and a headless Chromium. */
export async function startHarness(env: Record<string, string> = {}): Promise<Harness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'rapport-e2e-'));
  const app = await startApp(
    loadConfig({
      RAPPORT_DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      JOBS_POLL_MS: '200',
      ...env,
    }),
    { logger: false },
  );
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  mkdirSync(screensDir, { recursive: true });
  return {
    url: app.url,
    browser,
    deps: app.deps,
    inboundSmtpPort: app.inboundSmtpPort,
    stop: async () => {
      await browser.close();
      await app.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  // Let modal and menu transitions settle so the picture shows the finished state.
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(screensDir, `${name}.png`), fullPage: true });
}
