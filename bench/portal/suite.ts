/**
 * `npm run bench -- --suite portal [--seconds S] [--database-url URL]`
 *
 * The customer portal's figures: the size of what a customer's browser downloads for /portal
 * (gzipped, from the built dist/web), the cold load of the sign-in page in Chromium (empty cache,
 * until the form is usable), sign-in links asked for per second with the rate limits raised out
 * of the way (the issue asks for the throughput "before rate limits apply"), and the latency of
 * the portal's most used reads. Figures, not pass/fail.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { webDistDir } from '../../src/platform/paths.ts';
import { type LoadFigures, load, rssMb, type Server, startServer, stopServer, waitForOk } from '../http.ts';

export interface PortalSuiteOptions {
  prepareTarget(): Promise<{ env: Record<string, string>; cleanup(): Promise<void> }>;
  setUp(server: Server): Promise<string>;
  kind: 'pglite' | 'postgres';
  seconds: number;
  port: number;
  log(message: string): void;
}

/** Every script and stylesheet portal.html pulls in (entry, preloaded chunks, CSS), gzipped. */
export function portalBundle() {
  const html = readFileSync(join(webDistDir, 'portal.html'), 'utf8');
  const assets = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map(
    (match) => match[1]!,
  );
  const files = assets.map((asset) => {
    const bytes = readFileSync(join(webDistDir, asset));
    return { file: asset, bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length };
  });
  const sum = (pick: (file: (typeof files)[number]) => number) =>
    files.reduce((total, file) => total + pick(file), 0);
  const js = files.filter((file) => file.file.endsWith('.js'));
  return {
    files,
    jsGzipKb: Math.round(js.reduce((total, file) => total + file.gzipBytes, 0) / 102.4) / 10,
    totalGzipKb: Math.round(sum((file) => file.gzipBytes) / 102.4) / 10,
    totalKb: Math.round(sum((file) => file.bytes) / 102.4) / 10,
  };
}

/** Loads the sign-in page in a fresh browser context (empty cache) and times it until usable. */
async function coldLoads(base: string, slug: string, runs: number) {
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
  const times: { usableMs: number; domContentLoadedMs: number }[] = [];
  try {
    for (let run = 0; run < runs; run++) {
      const context = await browser.newContext({ viewport: { width: 375, height: 740 } });
      const page = await context.newPage();
      const started = performance.now();
      await page.goto(`${base}/portal/${slug}/sign-in`, { waitUntil: 'commit' });
      await page.getByRole('button', { name: 'Email me a sign-in link' }).waitFor();
      const usableMs = performance.now() - started;
      const domContentLoadedMs = await page.evaluate(() => {
        const [entry] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
        return entry ? entry.domContentLoadedEventEnd : 0;
      });
      times.push({ usableMs: Math.round(usableMs), domContentLoadedMs: Math.round(domContentLoadedMs) });
      await context.close();
    }
  } finally {
    await browser.close();
  }
  const usable = times.map((time) => time.usableMs).sort((a, b) => a - b);
  return {
    runs: times,
    medianUsableMs: usable[Math.floor(usable.length / 2)] ?? 0,
    worstUsableMs: usable.at(-1) ?? 0,
  };
}

export async function runPortalSuite(options: PortalSuiteOptions) {
  const { log, seconds } = options;
  const target = await options.prepareTarget();
  // Limits raised out of the way: the figure asked for is the throughput before they apply.
  const server = startServer(
    { ...target.env, PORTAL_LINKS_PER_IP: '1000000', PORTAL_LINKS_PER_EMAIL: '1000', JOBS_ENABLED: 'true' },
    options.port,
  );
  try {
    const coldStartMs = Math.round(await waitForOk(server));
    await options.setUp(server);
    const site = (await (await fetch(`${server.base}/portal/api/v1/site`)).json()) as { slug: string };
    log(`portal ${site.slug}: cold loads`);
    const bundle = portalBundle();
    const cold = await coldLoads(server.base, site.slug, 5);

    log('magic links');
    const bodies = Array.from({ length: 20_000 }, (_, index) =>
      JSON.stringify({ email: `customer${index}@example.com`, workspace: site.slug }),
    );
    const figures: Record<string, LoadFigures> = {};
    figures.magicLink = await load(server, {
      name: 'POST /portal/api/v1/auth/magic-link',
      paths: ['/portal/api/v1/auth/magic-link'],
      method: 'POST',
      bodies,
      connections: 16,
      seconds,
    });
    figures.site = await load(server, {
      name: 'GET /portal/api/v1/site',
      paths: [`/portal/api/v1/site?workspace=${site.slug}`],
      connections: 8,
      seconds,
    });
    figures.portalPage = await load(server, {
      name: 'GET /portal/<slug> (the HTML shell)',
      paths: [`/portal/${site.slug}`],
      connections: 8,
      seconds,
    });
    const rss = server.child.pid ? rssMb(server.child.pid) : null;
    console.log(
      JSON.stringify(
        {
          suite: 'portal',
          database: options.kind,
          node: process.version,
          coldStartMs,
          rssMb: rss,
          bundle,
          coldLoad: cold,
          load: figures,
        },
        null,
        2,
      ),
    );
  } finally {
    await stopServer(server);
    await target.cleanup();
  }
}
