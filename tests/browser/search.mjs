// Site search in a real browser: a word typed with an inflection on each language's
// search page finds a page that only uses another form of the word (stemming), and
// results stay in the reader's language.
//
//   SITE_DIR=../../site node search.mjs
import { serve, launch, siteDir } from './lib.mjs';

const cases = [
  { page: '/fr/recherche/', query: 'animatrices', expect: '/fr/planification/pour-commencer/', lang: 'fr' },
  { page: '/en/search/', query: 'facilitators', expect: '/en/training/module-04/', lang: 'en' },
  // «صدمات» (traumas): session 5 only writes «الصدمة» (the trauma), with the article and the singular.
  { page: '/ar/search/', query: 'صدمات', expect: '/ar/curriculum/session-05/', lang: 'ar' },
];

const server = await serve(siteDir());
const browser = await launch();
let passed = 0;
let failed = 0;
try {
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  for (const c of cases) {
    // What a reader downloads for search, from opening the page to the first results.
    let payload = 0;
    const count = async (res) => {
      if (!res.url().includes('/pagefind/')) return;
      try { payload += (await res.body()).length; } catch { /* redirects have no body */ }
    };
    page.on('response', count);
    await page.goto(server.origin + c.page, { waitUntil: 'load' });
    const input = page.locator('.pagefind-ui__search-input');
    await input.waitFor({ timeout: 15000 });
    await input.fill(c.query);
    await page.locator('.pagefind-ui__result-link').first().waitFor({ timeout: 15000 });
    await page.waitForLoadState('networkidle');
    page.off('response', count);
    console.log(`search payload for a first query on ${c.page}: ${payload} bytes`);
    // Load every result.
    for (let i = 0; i < 20; i++) {
      const more = page.locator('.pagefind-ui__button');
      if (!(await more.count()) || !(await more.first().isVisible())) break;
      await more.first().click();
      await page.waitForTimeout(300);
    }
    const links = await page.locator('.pagefind-ui__result-link').evaluateAll((as) => as.map((a) => new URL(a.href).pathname));
    const found = links.includes(c.expect);
    const sameLanguage = links.every((l) => l.startsWith(`/${c.lang}/`));
    if (found && sameLanguage) {
      passed++;
      console.log(`ok: "${c.query}" on ${c.page}: ${links.length} results, including ${c.expect}`);
    } else {
      failed++;
      console.log(`FAIL: "${c.query}" on ${c.page}: ${links.length} results; ${c.expect} ${found ? 'found' : 'missing'}; all in ${c.lang}: ${sameLanguage}`);
      console.log(links.join('\n'));
    }
  }
  if (errors.length) {
    failed++;
    console.log(`FAIL: page errors: ${errors.join('; ')}`);
  }
} finally {
  await browser.close();
  await server.close();
}
console.log(`search: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
