// Full-page screenshots of a few pages at phone and desktop widths, to look at.
//
//   SITE_DIR=../../site node screenshot.mjs [OUT_DIR]     (default /tmp/shots)
//
// Extra pages: PAGES="/fr/ /en/glossary/" node screenshot.mjs
// Dark scheme too: DARK=1 node screenshot.mjs
import fs from 'node:fs';
import path from 'node:path';
import { serve, launch, siteDir } from './lib.mjs';

const out = path.resolve(process.argv[2] || '/tmp/shots');
const pages = (process.env.PAGES || '/en/ /en/curriculum/session-01/ /en/case-studies/iwpsp/').split(/\s+/).filter(Boolean);
const widths = [390, 1280];
const schemes = process.env.DARK === '1' ? ['light', 'dark'] : ['light'];

const server = await serve(siteDir());
const browser = await launch();
let failed = 0;
try {
  fs.mkdirSync(out, { recursive: true });
  const page = await browser.context.newPage();
  for (const p of pages) {
    for (const width of widths) {
      for (const scheme of schemes) {
        await page.setViewportSize({ width, height: 900 });
        await page.emulateMedia({ media: 'screen', colorScheme: scheme });
        const res = await page.goto(server.origin + encodeURI(p), { waitUntil: 'load' });
        const name = (p.replace(/^\/|\/$/g, '').replace(/[/]/g, '_') || 'root') + `-${width}${scheme === 'dark' ? '-dark' : ''}.png`;
        const file = path.join(out, name);
        await page.screenshot({ path: file, fullPage: true });
        const status = res ? res.status() : 0;
        if (status !== 200) failed += 1;
        console.log(`${status} ${p} ${width}px ${scheme} → ${file}`);
      }
    }
  }
} finally {
  await browser.close();
  await server.close();
}
process.exitCode = failed ? 1 : 0;
