// The figures the theme draws, in Chromium, in every language: the nested-levels
// figures (`::: figure`), the time bars of agendas and module plans, and the
// curriculum timeline.
//
// - A figure's drawing has role="img" and an accessible name and description in
//   the language of the text around it; it draws one ring per level and lists the same levels as
//   text; it fits a 360 px screen; it is shown, whole, when printed, and the PDF
//   of its page is made.
// - A time bar has one block per row of the table after it, each as wide as its
//   share of the total minutes (within 1%), numbered as the row.
// - The timeline lists each session of the schedule, in order, with its link.
//
//   SITE_DIR=../../site node figures.mjs
import fs from 'node:fs';
import path from 'node:path';
import { serve, launch, siteDir } from './lib.mjs';

let passed = 0;
let failed = 0;
function result(ok, text) {
  if (ok) passed++; else failed++;
  console.log(`${ok ? 'ok' : 'FAIL'}: ${text}`);
}

function htmlFiles(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...htmlFiles(p));
    else if (e.name === 'index.html') out.push(p);
  }
  return out;
}

const root = siteDir();
// Pages by what they draw, found in the built files (the offline copy is left out).
const pages = { levels: [], bars: [], timeline: [] };
for (const file of htmlFiles(root)) {
  const rel = '/' + path.relative(root, file).split(path.sep).join('/').replace(/index\.html$/, '');
  if (rel.startsWith('/downloads/')) continue;
  const text = fs.readFileSync(file, 'utf8');
  if (text.includes('class="figure figure-levels"')) pages.levels.push(rel);
  if (text.includes('class="time-bar"')) pages.bars.push(rel);
  if (text.includes('class="timeline"')) pages.timeline.push(rel);
}
const langs = (list) => new Set(list.map((p) => p.split('/')[1]));
result(pages.levels.length >= 4 && langs(pages.levels).size >= 2, `nested-levels figures on ${pages.levels.length} pages in ${[...langs(pages.levels)].join(', ')}`);
result(pages.bars.length >= 24 && langs(pages.bars).size >= 2, `time bars on ${pages.bars.length} pages`);
result(pages.timeline.length >= 2, `timelines on ${pages.timeline.length} pages`);

const server = await serve(root);
const browser = await launch();
const page = await browser.context.newPage();
try {
  for (const url of pages.levels) {
    await page.setViewportSize({ width: 360, height: 800 });
    await page.emulateMedia({ media: 'screen' });
    await page.goto(server.origin + encodeURI(url), { waitUntil: 'load' });
    const info = await page.evaluate(() => {
      return [...document.querySelectorAll('figure.figure-levels')].map((f) => {
        const svg = f.querySelector('svg');
        const ids = (svg.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean);
        const parts = ids.map((id) => document.getElementById(id));
        const box = f.getBoundingClientRect();
        const titleLang = parts[0] && (parts[0].closest('[lang]') || document.documentElement).getAttribute('lang');
        // The language of the text around the figure: the page's, or the article's
        // when the page is shown in another language.
        const around = (f.parentElement.closest('[lang]') || document.documentElement).getAttribute('lang');
        return {
          lang: around,
          role: svg.getAttribute('role'),
          name: parts.map((p) => (p ? p.textContent.trim() : '')),
          titleLang,
          rings: svg.querySelectorAll('circle.level').length,
          keys: f.querySelectorAll('.figure-key > li').length,
          caption: (f.querySelector('figcaption') || { textContent: '' }).textContent.trim(),
          right: box.right,
          svgWidth: svg.getBoundingClientRect().width,
        };
      });
    });
    for (const [i, f] of info.entries()) {
      const problems = [];
      if (f.role !== 'img') problems.push(`role is ${f.role}`);
      if (f.name.length !== 2 || f.name.some((t) => t.length < 5)) problems.push(`name and description: ${JSON.stringify(f.name)}`);
      if (f.titleLang !== f.lang) problems.push(`title in ${f.titleLang}, text around it in ${f.lang}`);
      if (f.rings < 1 || f.rings !== f.keys) problems.push(`${f.rings} rings but ${f.keys} levels as text`);
      if (!f.caption) problems.push('no caption');
      if (f.right > 360 || f.svgWidth < 200) problems.push(`does not fit 360 px: right edge ${f.right}, drawing ${f.svgWidth} px wide`);
      result(problems.length === 0, `figure ${i + 1} on ${url}: ${problems.length ? problems.join('; ') : `${f.rings} levels, "${f.name[0]}"`}`);
    }
    // In print: shown, not broken across pages, and the PDF is made.
    await page.emulateMedia({ media: 'print' });
    const print = await page.evaluate(() => [...document.querySelectorAll('figure.figure-levels')].map((f) => {
      const s = getComputedStyle(f);
      const svg = f.querySelector('svg').getBoundingClientRect();
      return { display: s.display, breakInside: s.breakInside, height: svg.height };
    }));
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    const printProblems = print.flatMap((p, i) => [
      p.display === 'none' || p.height < 50 ? `figure ${i + 1} hidden in print` : null,
      p.breakInside !== 'avoid' ? `figure ${i + 1} may break across pages (${p.breakInside})` : null,
    ].filter(Boolean));
    if (pdf.length < 10000) printProblems.push(`PDF of ${pdf.length} bytes`);
    result(printProblems.length === 0, `figure printed on ${url}${printProblems.length ? `: ${printProblems.join('; ')}` : ''}`);
  }

  for (const url of pages.bars) {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.emulateMedia({ media: 'screen' });
    await page.goto(server.origin + encodeURI(url), { waitUntil: 'load' });
    const bars = await page.evaluate(() => [...document.querySelectorAll('svg.time-bar')].map((svg) => {
      let table = svg.nextElementSibling;
      while (table && !table.querySelector('table')) table = table.nextElementSibling;
      const rows = table ? [...table.querySelectorAll('tbody tr')] : [];
      return {
        name: svg.getAttribute('aria-label') || '',
        rects: [...svg.querySelectorAll('rect')].map((r) => Number(r.getAttribute('width'))),
        minutes: rows.map((r) => Number(r.querySelector('td.num').textContent)),
        keys: rows.map((r) => (r.querySelector('.tb-key') || { textContent: '' }).textContent.trim()),
      };
    }));
    const problems = [];
    for (const [i, b] of bars.entries()) {
      const total = b.minutes.reduce((a, m) => a + m, 0);
      if (!b.name) problems.push(`bar ${i + 1} has no text alternative`);
      if (b.rects.length !== b.minutes.length) problems.push(`bar ${i + 1}: ${b.rects.length} blocks for ${b.minutes.length} rows`);
      b.rects.forEach((w, j) => {
        if (Math.abs(w / 600 - b.minutes[j] / total) > 0.01) problems.push(`bar ${i + 1} block ${j + 1}: ${w} of 600 for ${b.minutes[j]} of ${total} minutes`);
        if (b.keys[j] !== String(j + 1)) problems.push(`bar ${i + 1} row ${j + 1} is numbered "${b.keys[j]}"`);
      });
    }
    result(bars.length > 0 && problems.length === 0, `${bars.length} time bar(s) in proportion on ${url}${problems.length ? `: ${problems.slice(0, 5).join('; ')}` : ''}`);
  }

  for (const url of pages.timeline) {
    await page.goto(server.origin + encodeURI(url), { waitUntil: 'load' });
    const t = await page.evaluate(() => ({
      steps: [...document.querySelectorAll('.timeline-steps li a')].map((a) => a.getAttribute('href')),
      schedule: [...document.querySelectorAll('#schedule tbody th a')].map((a) => a.getAttribute('href')),
    }));
    const same = t.steps.length > 0 && JSON.stringify(t.steps) === JSON.stringify(t.schedule);
    result(same, `timeline on ${url}: ${t.steps.length} steps${same ? ', as in the schedule' : `, schedule has ${t.schedule.length}`}`);
  }
} finally {
  await browser.close();
  await server.close();
}
console.log(`figures: ${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
