// Right-to-left pages in Chromium: every page of a right-to-left language
// (read from the built files, for every language whose pages say dir="rtl").
//
// - <html> has the language's lang and dir="rtl"; text in another language
//   (a page or string shown in the source language) has its own lang, and a dir
//   that is ltr for a left-to-right language;
// - the layout is mirrored: the agenda table, the callouts (their bar on the
//   right) and the header run right to left;
// - the print views (session page, printable curriculum, participant version,
//   a handout) print to A4 PDF;
// - screenshots of the header, an agenda and a callout at 360 px are written to
//   SHOTS_DIR (default /tmp/passerelle-rtl) to look at;
// - with six languages (a copy of the toolkit given three more with
//   `passerelle new language`), the root chooser and the language switcher fit
//   a 360 px screen without sideways scrolling.
//
//   SITE_DIR=../../site node rtl.mjs
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { serve, launch, siteDir } from './lib.mjs';

let passed = 0;
let failed = 0;
function result(ok, text) {
  if (ok) passed++; else failed++;
  console.log(`${ok ? 'ok' : 'FAIL'}: ${text}`);
}

const root = siteDir();
const shots = path.resolve(process.env.SHOTS_DIR || '/tmp/passerelle-rtl');
fs.mkdirSync(shots, { recursive: true });
// Right-to-left languages: the top folders whose home page says dir="rtl".
const langs = fs.readdirSync(root).filter((d) => {
  const home = path.join(root, d, 'index.html');
  return fs.existsSync(home) && /<html lang="[^"]+" dir="rtl"/.test(fs.readFileSync(home, 'utf8'));
});
result(langs.length > 0, `right-to-left languages: ${langs.join(', ') || 'none'}`);
const pagesOf = (lang) => {
  const out = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === 'index.html') out.push('/' + path.relative(root, p).split(path.sep).join('/').replace(/index\.html$/, ''));
    }
  };
  walk(path.join(root, lang));
  return out.sort();
};

const server = await serve(root);
const browser = await launch();
const page = await browser.context.newPage();
try {
  for (const lang of langs) {
    const pages = pagesOf(lang);
    const bad = [];
    for (const url of pages) {
      await page.goto(server.origin + encodeURI(url), { waitUntil: 'domcontentloaded' });
      const r = await page.evaluate((lang) => {
        const html = document.documentElement;
        const problems = [];
        if (html.lang !== lang || html.dir !== 'rtl') problems.push(`<html lang="${html.lang}" dir="${html.dir}">`);
        for (const el of document.querySelectorAll('body [lang]')) {
          if (el.lang === lang) continue;
          // Another language's text: its own direction (the toolkit's other languages are ltr).
          if (!el.getAttribute('dir')) problems.push(`<${el.localName} lang="${el.lang}"> without dir`);
          else if (getComputedStyle(el).direction !== el.getAttribute('dir')) problems.push(`<${el.localName} lang="${el.lang}"> lays out ${getComputedStyle(el).direction}`);
        }
        return problems;
      }, lang);
      if (r.length) bad.push(`${url}: ${[...new Set(r)].slice(0, 3).join('; ')}`);
    }
    result(bad.length === 0, `${pages.length} ${lang} pages: lang and dir right on the page and on text in other languages${bad.length ? `\n  ${bad.slice(0, 10).join('\n  ')}` : ''}`);

    // Mirrored layout on a translated session page.
    const session = pages.find((p) => /curriculum\/session-0?5\//.test(p)) || pages.find((p) => /session-/.test(p));
    await page.setViewportSize({ width: 360, height: 800 });
    await page.goto(server.origin + encodeURI(session), { waitUntil: 'load' });
    const layout = await page.evaluate(() => {
      const table = document.querySelector('table.agenda');
      const first = table && table.querySelector('tbody tr td, tbody tr th');
      const last = table && table.querySelector('tbody tr > :last-child');
      const callout = document.querySelector('.callout');
      const cs = callout && getComputedStyle(callout);
      const brand = document.querySelector('.site-header a');
      return {
        tableDir: table ? getComputedStyle(table).direction : 'none',
        firstRight: first ? first.getBoundingClientRect().right : 0,
        lastRight: last ? last.getBoundingClientRect().right : 0,
        calloutRight: cs ? parseFloat(cs.borderRightWidth) : 0,
        calloutLeft: cs ? parseFloat(cs.borderLeftWidth) : 0,
        brandRight: brand ? brand.getBoundingClientRect().right : 0,
        width: document.documentElement.clientWidth,
        lang: document.querySelector('article') && document.querySelector('article').lang,
      };
    });
    result(layout.tableDir === 'rtl' && layout.firstRight > layout.lastRight, `${session}: the agenda runs right to left (first column at x=${Math.round(layout.firstRight)}, last at ${Math.round(layout.lastRight)})`);
    result(layout.calloutRight > layout.calloutLeft, `${session}: callouts have their bar on the right (${layout.calloutRight}px right, ${layout.calloutLeft}px left)`);
    result(layout.brandRight > layout.width / 2, `${session}: the header starts on the right`);
    for (const [sel, name] of [['.site-header', 'header'], ['#agenda', 'agenda'], ['.callout', 'callout']]) {
      const el = page.locator(sel).first();
      if (await el.count()) await el.screenshot({ path: path.join(shots, `${lang}-${name}-360.png`) });
    }
    console.log(`screenshots: ${shots}`);

    // Print views.
    const prints = [session, `/${lang}/curriculum/print/`, `/${lang}/curriculum/participant/`, pages.find((p) => /handouts\/resource-card\//.test(p))].filter(Boolean);
    for (const url of prints) {
      if (!pages.includes(url)) { result(false, `${url}: no such page`); continue; }
      await page.emulateMedia({ media: 'print' });
      await page.goto(server.origin + encodeURI(url), { waitUntil: 'load' });
      const dir = await page.evaluate(() => getComputedStyle(document.body).direction);
      const pdf = await page.pdf({ format: 'A4', printBackground: true });
      const pagesInPdf = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
      result(dir === 'rtl' && pdf.length > 5000 && pagesInPdf > 0, `${url} prints right to left: ${pagesInPdf} A4 page(s), ${pdf.length} bytes`);
      await page.emulateMedia({ media: 'screen' });
    }
  }
  // Six languages on a phone: the toolkit with three more languages.
  const here = path.dirname(fileURLToPath(import.meta.url));
  const bin = path.resolve(process.env.PASSERELLE_BIN || path.join(here, '../../target/release/passerelle'));
  const toolkit = path.resolve(process.env.TOOLKIT_ROOT || path.join(here, '../..'));
  if (fs.existsSync(bin)) {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'passerelle-six-'));
    for (const f of ['toolkit.yaml', 'content', 'data', 'themes', 'static', 'i18n']) {
      if (fs.existsSync(path.join(toolkit, f))) fs.cpSync(path.join(toolkit, f), path.join(tmp, f), { recursive: true });
    }
    const settings = path.join(tmp, 'toolkit.yaml');
    fs.writeFileSync(settings, fs.readFileSync(settings, 'utf8').replace(/^theme:.*$/m, ''));
    for (const [code, name, rtl] of [['so', 'Soomaali', false], ['fa', 'فارسی', true], ['uk', 'Українська', false]]) {
      execFileSync(bin, ['new', 'language', code, '--name', name, ...(rtl ? ['--rtl'] : []), '--root', tmp], { stdio: 'ignore' });
    }
    execFileSync(bin, ['build', '--quiet', '--no-search', '--root', tmp, '--output', path.join(tmp, 'site')], { stdio: 'inherit' });
    const six = await serve(path.join(tmp, 'site'));
    try {
      await page.setViewportSize({ width: 360, height: 800 });
      for (const url of ['/', '/en/', '/ar/', '/fa/curriculum/', '/uk/']) {
        await page.goto(six.origin + encodeURI(url), { waitUntil: 'load' });
        const r = await page.evaluate(() => ({
          scroll: document.documentElement.scrollWidth,
          width: document.documentElement.clientWidth,
          links: document.querySelectorAll('.lang-switch a, .root-choice .button').length,
        }));
        result(r.scroll <= r.width && r.links >= 5, `six languages, ${url} at 360 px: ${r.links} language links, ${r.scroll} px wide for ${r.width}`);
      }
      await page.goto(six.origin + '/', { waitUntil: 'load' });
      await page.screenshot({ path: path.join(shots, 'six-languages-root-360.png'), fullPage: true });
      await page.goto(six.origin + '/ar/', { waitUntil: 'load' });
      await page.locator('.site-header').screenshot({ path: path.join(shots, 'six-languages-header-360.png') });
    } finally {
      await six.close();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  } else {
    result(false, `no passerelle binary at ${bin} for the six-language check`);
  }
} finally {
  await browser.close();
  await server.close();
}
console.log(`rtl: ${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
