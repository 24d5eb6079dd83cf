// Lighthouse's SEO category on a build with a full base URL: the toolkit is built
// for the address of a local server (so canonical links, hreflang and the
// robots.txt sitemap line name the host Lighthouse visits), then a few pages of
// each kind are audited in Debian's Chromium. Each must score at least MIN_SCORE.
//
//   PASSERELLE_BIN=../../target/release/passerelle TOOLKIT_ROOT=../.. node lighthouse.mjs
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import { serve, CHROMIUM, CHROMIUM_ARGS } from './lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const MIN_SCORE = 0.9;
const PAGES = [
  '/',
  '/en/',
  '/fr/',
  '/en/curriculum/session-03/',
  '/fr/programme/seance-03/',
  '/en/handouts/resource-card/',
  '/en/guidance/',
  '/fr/glossaire/',
];

const bin = path.resolve(process.env.PASSERELLE_BIN || path.join(here, '../../target/release/passerelle'));
const root = path.resolve(process.env.TOOLKIT_ROOT || path.join(here, '../..'));
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'passerelle-lighthouse-'));
const server = await serve(out);
// LIGHTHOUSE_BASE=path builds with the base URL `/` instead, for comparison.
const baseUrl = process.env.LIGHTHOUSE_BASE === 'path' ? '/' : `${server.origin}/`;
execFileSync(bin, ['build', '--quiet', '--root', root, '--output', out, '--base-url', baseUrl], { stdio: 'inherit' });

const chrome = await chromeLauncher.launch({
  chromePath: CHROMIUM,
  chromeFlags: ['--headless=new', ...CHROMIUM_ARGS],
});
let passed = 0;
let failed = 0;
const scores = [];
try {
  for (const p of PAGES) {
    const result = await lighthouse(server.origin + p, {
      port: chrome.port,
      onlyCategories: ['seo'],
      output: 'json',
      logLevel: 'error',
    });
    const seo = result.lhr.categories.seo;
    const score = Math.round(seo.score * 100);
    scores.push(score);
    const failing = seo.auditRefs
      .map((r) => result.lhr.audits[r.id])
      .filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode !== 'manual' && a.scoreDisplayMode !== 'notApplicable')
      .map((a) => `${a.id}: ${a.title}`);
    const ok = seo.score >= MIN_SCORE;
    if (ok) passed++; else failed++;
    console.log(`${ok ? 'ok' : 'FAIL'}: Lighthouse SEO ${score} on ${p}${failing.length ? ` (not passed: ${failing.join('; ')})` : ''}`);
  }
} finally {
  await chrome.kill();
  await server.close();
  fs.rmSync(out, { recursive: true, force: true });
}
console.log(`lighthouse: SEO scores ${scores.join(', ')}; lowest ${Math.min(...scores)}`);
console.log(`lighthouse: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
