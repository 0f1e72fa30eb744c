// Sync time of a local 200-page site: first sync, then an unchanged re-sync (conditional requests).
// Run: npm run bench-sources [-- --pages 200 --interval-ms 0]. Prints figures; asserts nothing (timings are noisy).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseConfig } from '../../src/config.ts';
import { Engine } from '../../src/engine/engine.ts';
import { configuredEngineDependencies } from '../../src/engine-wiring.ts';
import { docsPage, LocalSite } from '../support/local-site.ts';

const { values } = parseArgs({ options: { pages: { type: 'string', default: '200' }, 'interval-ms': { type: 'string', default: '0' } } });
const pages = Number(values.pages);
const site = await LocalSite.start();
const words = 'widget service configuration port install restart log folder cache theme dashboard plugin update user role channel'.split(' ');
const sentence = (seed: number, n: number) => Array.from({ length: n }, (_, i) => words[(seed * 7 + i * 3) % words.length]).join(' ');
for (let i = 0; i < pages; i++) {
  const paragraphs = Array.from({ length: 6 }, (_, p) => `Page ${i} paragraph ${p}: ${sentence(i + p, 40)}.`);
  site.page(`/docs/page-${i}`, docsPage(`Page ${i}`, paragraphs, [`/docs/page-${(i + 1) % pages}`]));
}
site.page('/sitemap.xml', `<?xml version="1.0"?><urlset>${Array.from({ length: pages }, (_, i) => `<url><loc>${site.url(`/docs/page-${i}`)}</loc></url>`).join('')}</urlset>`, { type: 'application/xml' });

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docqa-bench-sources-'));
const config = parseConfig(
  { DATA_DIR: dataDir, SEARCH_MODE: 'keyword', ALLOW_PRIVATE_SOURCES: 'true', SOURCE_REQUEST_INTERVAL_MS: values['interval-ms'], MAX_SOURCE_PAGES: String(pages + 10), INDEX_WATCH_MS: '0' },
  dataDir,
).engine;
const engine = await Engine.open(config, configuredEngineDependencies(config));
try {
  let started = performance.now();
  const first = await engine.addSource('', site.url('/docs/'));
  const firstSeconds = (performance.now() - started) / 1000;
  const firstRequests = [...site.counters.values()].reduce((sum, counter) => sum + counter.requests, 0);
  started = performance.now();
  const again = await engine.syncSources();
  const againSeconds = (performance.now() - started) / 1000;
  const total = [...site.counters.values()].reduce((sum, counter) => sum + counter.requests, 0);
  const notModified = [...site.counters.values()].reduce((sum, counter) => sum + counter.notModified, 0);
  console.log(`machine: ${os.cpus().length} cores, load average ${os.loadavg().map((load) => load.toFixed(2)).join(' ')}; SEARCH_MODE=keyword, SOURCE_REQUEST_INTERVAL_MS=${values['interval-ms']}`);
  console.log(`first sync: ${first.sync.pageCount} pages, ${first.report.paragraphs} paragraphs, ${firstRequests} requests, ${firstSeconds.toFixed(2)} s (index part ${first.report.seconds.toFixed(2)} s)`);
  console.log(`unchanged re-sync: ${again.sources[0]!.counts.notModified} answered 304 (of ${total - firstRequests} requests, ${notModified} 304s in all), ${again.report.embedded} embedded, ${againSeconds.toFixed(2)} s (index part ${again.report.seconds.toFixed(2)} s)`);
} finally {
  await engine.close();
  await site.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
