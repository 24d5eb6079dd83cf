// Real-browser checks of the built site, in Debian's Chromium.
//
//   SITE_DIR=../../site node run.mjs
//
// Serves SITE_DIR on 127.0.0.1, finds every page (sitemap.xml, then every
// same-origin link from the pages visited, plus the 404 pages), and on each
// page checks: axe-core (WCAG 2.0/2.1 A and AA, light and dark colour scheme),
// internal links and #fragments, console and page errors, <html lang>, and
// horizontal scrolling at 360 px. Then the print checks: PDFs of a session in
// A4 and Letter, navigation hidden in print, and no facilitator or care notes
// on the participant print page. Exits 1 on any failure; the last line is
// `browser: N passed, M failed`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { serve, launch, siteDir } from './lib.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const NARROW = 360;
const WIDE = 1280;
const CONCURRENCY = Math.max(1, Number(process.env.CONCURRENCY || 2));
const AXE_DARK = process.env.AXE_DARK !== '0';
const VERBOSE = process.env.VERBOSE === '1';
const PDF_DIR = process.env.PDF_DIR || path.join(os.tmpdir(), 'passerelle-pdf');

// Pages the print checks use; the first one of each list that exists is used.
const SESSION_PAGES = ['/en/curriculum/session-01/', '/fr/programme/seance-01/'];
const PRINT_PAGES = ['/en/curriculum/print/', '/fr/programme/imprimer/'];
const PARTICIPANT_PAGES = ['/en/curriculum/participant/', '/fr/programme/participants/'];
// Missing addresses that must answer 404 with the site's 404 page.
const MISSING = ['/no-such-page', '/en/no-such-page/deeper/', '/fr/pas-de-page/'];
const HEADER_NAV = ['.site-nav', '.lang-switch', '.breadcrumbs'];
const NOTES = ['.facilitator-only', '.callout-care', '.callout-facilitator', '#care-notes', '#facilitator-notes', '.agenda-notes'];

// ---------------------------------------------------------------- results

let passed = 0;
const failures = [];
const stats = { axe: 0, axeDark: 0, broken: 0, duplicateIds: 0, console: 0, overflow: 0, lang: 0, status: 0, external: 0, internalLinks: 0 };

function check(name, url, problems) {
  if (problems.length === 0) {
    passed += 1;
    if (VERBOSE) console.log(`ok   ${name} ${url}`);
  } else {
    failures.push({ name, url, problems });
  }
}

// ---------------------------------------------------------------- HTTP cache

const fetched = new Map(); // url without hash -> Promise<{status, type, bytes, location}>

function fetchInfo(url) {
  if (!fetched.has(url)) {
    fetched.set(url, (async () => {
      try {
        const res = await fetch(url, { redirect: 'manual' });
        const body = Buffer.from(await res.arrayBuffer());
        return {
          status: res.status,
          type: (res.headers.get('content-type') || '').split(';')[0].trim(),
          bytes: body.length,
          location: res.headers.get('location'),
          body,
        };
      } catch (err) {
        return { status: 0, type: '', bytes: 0, error: String(err) };
      }
    })());
  }
  return fetched.get(url);
}

function stripHash(u) {
  const x = new URL(u);
  x.hash = '';
  return x.href;
}

function shortUrl(u, origin) {
  return u.startsWith(origin) ? u.slice(origin.length) || '/' : u;
}

// ---------------------------------------------------------------- discovery

async function sitemapPages(origin) {
  const info = await fetchInfo(`${origin}/sitemap.xml`);
  if (info.status !== 200) {
    check('sitemap.xml', '/sitemap.xml', [`sitemap.xml answered ${info.status}`]);
    return [];
  }
  const xml = info.body.toString('utf8');
  const locs = [...xml.matchAll(/<loc>\s*([^<]+?)\s*<\/loc>/g)].map((m) => m[1].replace(/&amp;/g, '&'));
  const problems = locs.length ? [] : ['sitemap.xml lists no <loc>'];
  check('sitemap.xml', '/sitemap.xml', problems);
  return locs.map((loc) => {
    const u = new URL(loc, origin);
    // An absolute address of the published site: keep only its path here.
    return stripHash(new URL(u.pathname + u.search, origin).href);
  });
}

// ---------------------------------------------------------------- per page

async function describeOverflow(page, width) {
  return page.evaluate((w) => {
    const out = [];
    const describe = (el) => {
      let s = el.tagName.toLowerCase();
      if (el.id) s += `#${el.id}`;
      if (el.classList.length) s += '.' + [...el.classList].join('.');
      return s;
    };
    const scrolls = (el) => {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        const ox = getComputedStyle(p).overflowX;
        if (ox === 'auto' || ox === 'scroll' || ox === 'hidden' || ox === 'clip') return true;
      }
      return false;
    };
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.right <= w + 0.5) continue;
      if (scrolls(el)) continue;
      // keep the innermost overflowing elements
      const childOver = [...el.children].some((c) => c.getBoundingClientRect().right > w + 0.5);
      if (childOver) continue;
      out.push(`${describe(el)} (right edge ${Math.round(r.right)} px): ${(el.textContent || '').trim().slice(0, 60)}`);
      if (out.length >= 5) break;
    }
    return out;
  }, width);
}

async function runAxe(page, options) {
  const has = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!has) await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate((opts) => window.axe.run(document, opts), options);
}

function axeProblems(result, prefix = '') {
  const out = [];
  for (const v of result.violations) {
    for (const node of v.nodes) {
      const detail = (node.failureSummary || '').split('\n').slice(1).join(' ').trim();
      out.push(`${prefix}${v.id} (${v.impact}) at ${node.target.join(' ')}: ${node.html.slice(0, 160)}${detail ? ` — ${detail.slice(0, 200)}` : ''}`);
    }
  }
  return out;
}

async function visit(page, origin, url, expectStatus, pagesData) {
  const short = shortUrl(url, origin);
  const consoleErrors = [];
  const onConsole = (msg) => {
    if (msg.type() !== 'error') return;
    const text = msg.text();
    // The browser logs the 404 status of the document itself on the
    // missing-page checks; that status is what is being checked there.
    if (expectStatus === 404 && /status of 404/.test(text) && msg.location().url === url) return;
    consoleErrors.push(`console: ${text}${msg.location().url ? ` (${shortUrl(msg.location().url, origin)})` : ''}`);
  };
  const onPageError = (err) => consoleErrors.push(`page error: ${err.message}`);
  page.on('console', onConsole);
  page.on('pageerror', onPageError);
  try {
    await page.setViewportSize({ width: WIDE, height: 800 });
    await page.emulateMedia({ media: 'screen', colorScheme: 'light' });
    const response = await page.goto(url, { waitUntil: 'load' });
    const status = response ? response.status() : 0;
    check('status', short, status === expectStatus ? [] : [`answered ${status}, expected ${expectStatus}`]);
    if (status !== expectStatus) stats.status += 1;

    // <html lang>
    const lang = await page.evaluate(() => document.documentElement.getAttribute('lang'));
    const langProblems = lang && lang.trim() ? [] : [`<html lang> is ${lang === null ? 'missing' : 'empty'}`];
    stats.lang += langProblems.length;
    check('html-lang', short, langProblems);

    // Links, ids, stylesheet, for the link check after the crawl.
    const data = await page.evaluate(() => {
      const links = [];
      for (const a of document.querySelectorAll('a[href], area[href]')) links.push({ kind: 'a', href: a.href, raw: a.getAttribute('href') });
      for (const l of document.querySelectorAll('link[href]')) {
        const rel = (l.getAttribute('rel') || '').toLowerCase().split(/\s+/);
        if (rel.includes('stylesheet') || rel.includes('alternate') || rel.includes('canonical') || rel.includes('icon')) {
          links.push({ kind: `link[rel=${rel.join(' ')}]`, href: l.href, raw: l.getAttribute('href') });
        }
      }
      for (const el of document.querySelectorAll('img[src], script[src], source[src]')) links.push({ kind: el.tagName.toLowerCase(), href: el.src, raw: el.getAttribute('src') });
      const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
      const names = [...document.querySelectorAll('a[name]')].map((e) => e.getAttribute('name'));
      const stylesheets = [...document.querySelectorAll('link[rel~="stylesheet"][href]')].map((l) => l.href);
      return { links, ids: [...ids, ...names], stylesheets };
    });
    // Duplicate ids break fragment links and labels.
    const seen = new Set();
    const dupes = new Set();
    for (const id of data.ids) (seen.has(id) ? dupes : seen).add(id);
    pagesData.set(url, { ...data, idSet: seen, dupes: [...dupes], status });

    // axe, light scheme
    const axeLight = axeProblems(await runAxe(page, { runOnly: { type: 'tag', values: AXE_TAGS }, resultTypes: ['violations'] }));
    stats.axe += axeLight.length;
    check('axe', short, axeLight);

    // axe colour contrast, dark scheme (the theme declares `color-scheme: light dark`)
    if (AXE_DARK) {
      await page.emulateMedia({ media: 'screen', colorScheme: 'dark' });
      const axeDark = axeProblems(await runAxe(page, { runOnly: { type: 'rule', values: ['color-contrast', 'link-in-text-block'] }, resultTypes: ['violations'] }), 'dark scheme: ');
      stats.axeDark += axeDark.length;
      check('axe-dark', short, axeDark);
      await page.emulateMedia({ media: 'screen', colorScheme: 'light' });
    }

    // Horizontal scroll at 360 px
    await page.setViewportSize({ width: NARROW, height: 800 });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    const overflowProblems = [];
    if (scrollWidth > NARROW) {
      overflowProblems.push(`scrolls sideways at ${NARROW} px: scrollWidth ${scrollWidth}`);
      for (const d of await describeOverflow(page, NARROW)) overflowProblems.push(`  wider than the screen: ${d}`);
      stats.overflow += 1;
    }
    check('no-horizontal-scroll-360', short, overflowProblems);

    // Console and page errors (collected over the whole visit)
    await page.waitForTimeout(50);
    stats.console += consoleErrors.length;
    check('console', short, consoleErrors);
    return data;
  } catch (err) {
    check('visit', short, [`could not be checked: ${err.message.split('\n')[0]}`]);
    return null;
  } finally {
    page.off('console', onConsole);
    page.off('pageerror', onPageError);
  }
}

// ---------------------------------------------------------------- link check

// The id a URL's fragment points at, or null when there is nothing to check
// ("#" and "#top" scroll to the top of the page by definition).
function fragmentOf(target) {
  if (!target.hash || target.hash === '#') return null;
  let frag;
  try { frag = decodeURIComponent(target.hash.slice(1)); } catch { frag = target.hash.slice(1); }
  return frag.toLowerCase() === 'top' ? null : frag;
}

async function checkLinks(origin, pagesData) {
  for (const [url, data] of pagesData) {
    const short = shortUrl(url, origin);
    // Duplicate ids make fragment links and aria references ambiguous.
    stats.duplicateIds += data.dupes.length;
    check('unique-ids', short, data.dupes.map((d) => `duplicate id="${d}"`));
    const problems = [];
    const done = new Set();
    for (const link of data.links) {
      let target;
      try { target = new URL(link.href); } catch { problems.push(`${link.kind} href="${link.raw}": not a valid URL`); continue; }
      if (!/^https?:$/.test(target.protocol)) continue; // mailto:, tel:
      if (target.origin !== origin) { stats.external += 1; continue; }
      const key = `${link.kind} ${target.href}`;
      if (done.has(key)) continue;
      done.add(key);
      stats.internalLinks += 1;
      const base = stripHash(target.href);
      if (base === url) {
        // A link within the page itself: only its fragment needs checking.
        const frag = fragmentOf(target);
        if (frag !== null && !data.idSet.has(frag)) problems.push(`${link.kind} href="${link.raw}": no id="${frag}" on this page`);
        continue;
      }
      const info = await fetchInfo(base);
      if (info.status !== 200) {
        const where = info.status >= 300 && info.status < 400 ? ` → ${info.location}` : '';
        problems.push(`${link.kind} href="${link.raw}" answers ${info.status || info.error}${where}`);
        continue;
      }
      const frag = fragmentOf(target);
      if (frag !== null) {
        let ids = pagesData.get(base)?.idSet;
        if (!ids && info.type === 'text/html') {
          ids = new Set([...info.body.toString('utf8').matchAll(/\s(?:id|name)\s*=\s*["']?([^"'\s>]+)/g)].map((m) => m[1]));
        }
        if (!ids || !ids.has(frag)) problems.push(`${link.kind} href="${link.raw}": no id="${frag}" on ${shortUrl(base, origin)}`);
      }
    }
    stats.broken += problems.length;
    check('links', short, problems);
  }
}

// ---------------------------------------------------------------- print

async function firstExisting(origin, candidates) {
  for (const p of candidates) {
    const info = await fetchInfo(origin + encodeURI(p));
    if (info.status === 200) return p;
  }
  return null;
}

function countPdfPages(buf) {
  const text = buf.toString('latin1');
  return (text.match(/\/Type\s*\/Page(?![a-zA-Z])/g) || []).length;
}

async function printChecks(context, origin) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    // PDFs of a session page
    const session = await firstExisting(origin, SESSION_PAGES);
    if (!session) {
      check('print-pdf', SESSION_PAGES[0], ['no session page to print']);
    } else {
      await page.goto(origin + encodeURI(session), { waitUntil: 'load' });
      fs.mkdirSync(PDF_DIR, { recursive: true });
      for (const format of ['A4', 'Letter']) {
        const problems = [];
        const file = path.join(PDF_DIR, `${session.replace(/^\/|\/$/g, '').replace(/\//g, '_')}.${format}.pdf`);
        try {
          const pdf = await page.pdf({ format, printBackground: true, path: file });
          const pages = countPdfPages(pdf);
          if (pdf.subarray(0, 5).toString() !== '%PDF-') problems.push('output is not a PDF');
          if (pages < 1) problems.push('the PDF has no page');
          console.log(`pdf: ${session} ${format}: ${pages} page(s), ${pdf.length} bytes → ${file}`);
        } catch (err) {
          problems.push(`page.pdf failed: ${err.message.split('\n')[0]}`);
        }
        check(`print-pdf-${format}`, session, problems);
      }

      // Header navigation not displayed in print
      await page.emulateMedia({ media: 'print' });
      const shown = await page.evaluate((sels) => sels.flatMap((sel) => [...document.querySelectorAll(sel)]
        .filter((el) => el.getClientRects().length > 0)
        .map((el) => `${sel} is displayed in print (${el.getBoundingClientRect().height.toFixed(0)} px high)`)), HEADER_NAV);
      const present = await page.evaluate((sels) => sels.filter((s) => document.querySelector(s)), HEADER_NAV);
      if (VERBOSE) console.log(`print: header elements present on ${session}: ${present.join(', ') || 'none'}`);
      check('print-hides-navigation', session, shown);
      await page.emulateMedia({ media: 'screen' });
    }

    // Facilitator print book shows the notes (so the participant check below
    // is not vacuous), participant print book hides them.
    const full = await firstExisting(origin, PRINT_PAGES);
    let labels = [];
    if (full) {
      await page.goto(origin + encodeURI(full), { waitUntil: 'load' });
      await page.emulateMedia({ media: 'print' });
      const r = await page.evaluate((sels) => {
        const vis = sels.flatMap((s) => [...document.querySelectorAll(s)]).filter((el) => el.getClientRects().length > 0);
        const labels = [...new Set(vis.map((el) => el.querySelector('.callout-label')?.textContent.trim()).filter(Boolean))];
        return { count: vis.length, labels };
      }, NOTES);
      labels = r.labels;
      check('print-facilitator-book-has-notes', full, r.count > 0 ? [] : ['no facilitator or care notes shown on the facilitator print book']);
      await page.emulateMedia({ media: 'screen' });
    }
    const participant = await firstExisting(origin, PARTICIPANT_PAGES);
    if (!participant) {
      check('print-participant-hides-notes', PARTICIPANT_PAGES[0], ['no participant print page']);
    } else {
      await page.goto(origin + encodeURI(participant), { waitUntil: 'load' });
      await page.emulateMedia({ media: 'print' });
      const problems = await page.evaluate(({ sels, labels }) => {
        const out = [];
        for (const s of sels) {
          for (const el of document.querySelectorAll(s)) {
            if (el.getClientRects().length > 0) out.push(`${s} is shown in print: ${el.textContent.trim().slice(0, 80)}`);
          }
        }
        const text = document.body.innerText;
        for (const l of labels) if (text.includes(l)) out.push(`the text "${l}" is shown in print`);
        return out;
      }, { sels: NOTES, labels });
      check('print-participant-hides-notes', participant, problems);
      await page.emulateMedia({ media: 'screen' });
    }
    check('print-page-errors', '(print pages)', errors.map((e) => `page error: ${e}`));
  } finally {
    await page.close();
  }
}

// Every handout prints on one or two pages, in A4 and in Letter, with the toolkit's
// name and the crisis line at its foot; every session page links its handouts, and
// each of those links leads to a handout page.
async function handoutChecks(context, origin, pagesData) {
  const handouts = [];
  const sessions = [];
  for (const [url, data] of pagesData) {
    if (data.status !== 200) continue;
    const body = (await fetchInfo(url)).body?.toString('utf8') || '';
    if (body.includes('<body class="kind-handout">')) handouts.push(url);
    if (body.includes('<body class="kind-session">')) sessions.push({ url, body });
  }
  const handoutSet = new Set(handouts);
  for (const { url, body } of sessions) {
    const problems = [];
    const section = body.split('<section id="handouts"')[1]?.split('</section>')[0];
    if (!section) problems.push('the session page lists no handouts');
    const hrefs = [...(section || '').matchAll(/href="([^"]+)"/g)].map((m) => new URL(m[1], url).href);
    for (const h of hrefs) if (!handoutSet.has(stripHash(h))) problems.push(`${h} is not a handout page`);
    check('session-links-handouts', shortUrl(url, origin), problems);
  }
  const page = await context.newPage();
  try {
    fs.mkdirSync(PDF_DIR, { recursive: true });
    for (const url of handouts) {
      await page.goto(url, { waitUntil: 'load' });
      await page.emulateMedia({ media: 'print' });
      const foot = await page.evaluate(() => {
        const f = document.querySelector('.handout-foot');
        return f && f.getClientRects().length > 0 ? f.innerText : '';
      });
      check('handout-foot-in-print', shortUrl(url, origin), foot.includes('911') && foot.includes('9-8-8') ? [] : [`no crisis line at the foot in print: "${foot}"`]);
      // page.pdf() lays the page out with the print styles unless told otherwise.
      await page.emulateMedia({ media: null });
      for (const format of ['A4', 'Letter']) {
        const problems = [];
        const file = path.join(PDF_DIR, `${new URL(url).pathname.replace(/^\/|\/$/g, '').replace(/\//g, '_')}.${format}.pdf`);
        try {
          const pdf = await page.pdf({ format, printBackground: true, path: file });
          const pages = countPdfPages(pdf);
          if (pages < 1 || pages > 2) problems.push(`prints on ${pages} pages (at most 2)`);
          console.log(`pdf: ${shortUrl(url, origin)} ${format}: ${pages} page(s)`);
        } catch (err) {
          problems.push(`page.pdf failed: ${err.message.split('\n')[0]}`);
        }
        check(`handout-pdf-${format}`, shortUrl(url, origin), problems);
      }
    }
  } finally {
    await page.close();
  }
  console.log(`handouts: ${handouts.length} printed in A4 and Letter; ${sessions.length} session pages checked for their handout links`);
  check('handouts-exist', '(site)', handouts.length > 0 ? [] : ['no handout page found']);
}

// ---------------------------------------------------------------- main

function median(xs) {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : Math.round((s[m - 1] + s[m]) / 2);
}

function kb(n) {
  return `${(n / 1024).toFixed(1)} KiB`;
}

function listHtmlFiles(root) {
  const out = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.html')) out.push(p);
    }
  };
  walk(root);
  return out;
}

async function main() {
  const root = siteDir();
  const started = Date.now();
  const server = await serve(root);
  const { origin } = server;
  console.log(`browser: serving ${root} at ${origin}`);
  const browser = await launch();
  const pagesData = new Map();
  try {
    // Discover: sitemap, home pages, 404 pages; the crawl adds the rest.
    const queue = [];
    const queued = new Map(); // url -> expected status
    const enqueue = (u, status = 200) => {
      const key = stripHash(u);
      if (queued.has(key)) return;
      queued.set(key, status);
      queue.push(key);
    };
    const fromSitemap = await sitemapPages(origin);
    enqueue(`${origin}/`);
    for (const u of fromSitemap) enqueue(u);
    for (const f of ['404.html', ...fs.readdirSync(root).filter((d) => fs.existsSync(path.join(root, d, '404.html'))).map((d) => `${d}/404.html`)]) {
      if (fs.existsSync(path.join(root, f))) enqueue(`${origin}/${f}`);
    }
    for (const m of MISSING) enqueue(origin + m, 404);

    let active = 0;
    const worker = async () => {
      const page = await browser.context.newPage();
      try {
        for (;;) {
          if (!queue.length) {
            if (active === 0) return;
            await new Promise((r) => setTimeout(r, 25));
            continue;
          }
          const url = queue.shift();
          active += 1;
          try {
            const data = await visit(page, origin, url, queued.get(url), pagesData);
            if (data) {
              for (const link of data.links) {
                let t;
                try { t = new URL(link.href); } catch { continue; }
                if (t.origin !== origin || link.kind !== 'a') continue;
                const base = stripHash(t.href);
                if (queued.has(base)) continue;
                const info = await fetchInfo(base);
                if (info.status === 200 && info.type === 'text/html') enqueue(base);
              }
            }
          } finally {
            active -= 1;
          }
        }
      } finally {
        await page.close();
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));

    // The missing addresses answer 404 with an HTML page (checked in the visit).
    await checkLinks(origin, pagesData);
    await printChecks(browser.context, origin);
    await handoutChecks(browser.context, origin, pagesData);

    // Page weight: HTML + stylesheets of each page
    const weights = [];
    for (const [url, data] of pagesData) {
      if (data.status !== 200) continue;
      let bytes = (await fetchInfo(url)).bytes;
      for (const css of new Set(data.stylesheets)) bytes += (await fetchInfo(stripHash(css))).bytes;
      weights.push({ url, bytes });
    }
    weights.sort((a, b) => a.bytes - b.bytes);
    const largest = weights[weights.length - 1];

    // Pages on disk the crawl never reached (for information)
    const reached = new Set([...pagesData.keys()].map((u) => decodeURIComponent(new URL(u).pathname)));
    const unreached = listHtmlFiles(root)
      .map((f) => '/' + path.relative(root, f).split(path.sep).join('/'))
      .filter((p) => !reached.has(p) && !reached.has(p.replace(/index\.html$/, '')));

    // Report
    for (const f of failures) {
      console.log(`\nFAIL ${f.name} ${f.url}`);
      for (const p of f.problems) console.log(`  - ${p}`);
    }
    const visited = [...pagesData.keys()].length;
    console.log('\n== summary');
    console.log(`pages visited:        ${visited} (${fromSitemap.length} in sitemap.xml, ${MISSING.length} missing addresses)`);
    console.log(`axe violations:       ${stats.axe} (WCAG 2.0/2.1 A and AA)${AXE_DARK ? `, ${stats.axeDark} more in the dark scheme` : ''}`);
    console.log(`broken links:         ${stats.broken} (${stats.internalLinks} internal links checked, ${stats.external} external not followed)`);
    console.log(`duplicate ids:        ${stats.duplicateIds}`);
    console.log(`console errors:       ${stats.console}`);
    console.log(`missing <html lang>:  ${stats.lang}`);
    console.log(`sideways scroll 360:  ${stats.overflow} page(s)`);
    console.log(`wrong status:         ${stats.status}`);
    if (weights.length) {
      console.log(`page weight (HTML+CSS): median ${kb(median(weights.map((w) => w.bytes)))}, largest ${kb(largest.bytes)} (${shortUrl(largest.url, origin)})`);
    }
    if (unreached.length) console.log(`HTML files never reached by the crawl (information): ${unreached.join(', ')}`);
    console.log(`time: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await browser.close();
    await server.close();
  }
  console.log(`browser: ${passed} passed, ${failures.length} failed`);
  process.exitCode = failures.length ? 1 : 0;
}

main().catch((err) => {
  console.error(err.stack || String(err));
  console.log(`browser: ${passed} passed, ${failures.length + 1} failed`);
  process.exit(1);
});
