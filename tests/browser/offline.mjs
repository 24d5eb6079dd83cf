// The offline copy, as a reader gets it: unzipped from the site's
// downloads/toolkit-offline.zip and opened from disk (file://), with no server.
//
// 1. A static check: no HTML or CSS file of the copy holds a root-relative
//    address (`href="/…"`, `src="/…"`, `url(/…)`), which would leave the copy.
// 2. Chromium opens index.html from file:// and follows the internal links from
//    there, breadth first, in every language: each must load a page whose
//    stylesheet applied.
//
//   OFFLINE_DIR=/tmp/toolkit-offline node offline.mjs
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { launch } from './lib.mjs';

const MIN_LINKS = 50;
const MAX_PAGES = Number(process.env.OFFLINE_MAX_PAGES || 400);

const dir = path.resolve(process.env.OFFLINE_DIR || '');
if (!process.env.OFFLINE_DIR || !fs.existsSync(path.join(dir, 'index.html'))) {
  console.log(`offline: no offline copy in ${dir}: set OFFLINE_DIR to the unzipped folder`);
  console.log('offline: 0 passed, 1 failed');
  process.exit(1);
}

let passed = 0;
let failed = 0;
function result(ok, text) {
  if (ok) passed++; else failed++;
  console.log(`${ok ? 'ok' : 'FAIL'}: ${text}`);
}

// 1. Static check of every file.
function filesUnder(root) {
  const out = [];
  for (const entry of fs.readdirSync(root, { withFileTypes: true })) {
    const p = path.join(root, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}
const ROOT_RELATIVE = [/\s(?:href|src|action|poster)="\/(?!\/)[^"]*"/g, /url\(\s*['"]?\/(?!\/)[^)]*\)/g];
const files = filesUnder(dir);
const offenders = [];
for (const file of files.filter((f) => /\.(html|css)$/.test(f))) {
  const text = fs.readFileSync(file, 'utf8');
  for (const re of ROOT_RELATIVE) {
    for (const m of text.matchAll(re)) offenders.push(`${path.relative(dir, file)}: ${m[0].trim()}`);
  }
}
result(offenders.length === 0, `${files.length} files, no root-relative address${offenders.length ? `; found ${offenders.length}:\n  ${offenders.slice(0, 20).join('\n  ')}` : ''}`);

// 2. Follow the links in Chromium from file://.
const browser = await launch();
const page = await browser.context.newPage();
const start = pathToFileURL(path.join(dir, 'index.html')).href;
const seen = new Set([start]);
const queue = [start];
const problems = [];
const byLanguage = {};
let followed = 0;
try {
  while (queue.length && seen.size <= MAX_PAGES) {
    const url = queue.shift();
    const rel = path.relative(dir, fileURLToPath(url));
    let info;
    try {
      await page.goto(url, { waitUntil: 'load', timeout: 15000 });
      info = await page.evaluate(() => ({
        title: document.title,
        lang: document.documentElement.lang,
        sheets: [...document.querySelectorAll('link[rel="stylesheet"]')].map((l) => l.sheet !== null),
        // The theme's stylesheet sets this on :root; without it the page is unstyled.
        brand: getComputedStyle(document.documentElement).getPropertyValue('--brand-primary').trim(),
        links: [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')),
      }));
    } catch (e) {
      problems.push(`${rel}: did not load (${String(e.message || e).split('\n')[0]})`);
      continue;
    }
    if (url !== start) followed++;
    const top = rel.split(path.sep)[0];
    byLanguage[top] = (byLanguage[top] || 0) + 1;
    if (!info.title) problems.push(`${rel}: no title`);
    if (!info.sheets.length || info.sheets.some((s) => !s)) problems.push(`${rel}: stylesheet did not load`);
    if (!info.brand) problems.push(`${rel}: the theme's styles are not applied`);
    for (const href of info.links) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('#')) continue;
      const target = new URL(href, url);
      target.hash = '';
      target.search = '';
      if (!target.href.endsWith('.html')) {
        // A link to a file that is not a page (a PDF, an image): it must exist.
        if (!fs.existsSync(fileURLToPath(target.href))) problems.push(`${rel}: ${href} names no file`);
        continue;
      }
      if (!seen.has(target.href)) {
        seen.add(target.href);
        queue.push(target.href);
      }
    }
  }
} finally {
  await browser.close();
}
const languages = Object.entries(byLanguage).map(([k, v]) => `${k}: ${v}`).join(', ');
result(problems.length === 0, `${followed} internal links followed from file://…/index.html, pages by folder: ${languages}${problems.length ? `; ${problems.length} problems:\n  ${problems.slice(0, 30).join('\n  ')}` : ''}`);
result(followed >= MIN_LINKS, `at least ${MIN_LINKS} links followed (${followed})`);
const langs = ['en', 'fr'].filter((l) => (byLanguage[l] || 0) >= 10);
result(langs.length === 2, `pages of both languages loaded (en: ${byLanguage.en || 0}, fr: ${byLanguage.fr || 0})`);
console.log(`offline: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
