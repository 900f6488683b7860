// Drives the system Chromium (Debian's /usr/bin/chromium) with playwright-core: opens the story
// list, a story page, clicks a citation and reads back the highlighted text, opens the article
// page, and saves screenshots. Prints one JSON object; tests/test_web_browser.py judges it.
// usage: node check.mjs BASE_URL OUT_DIR [EXTRA_URL...]
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
// axe-core's WCAG 2 A/AA rules on the page as it is now: [{id, impact, nodes}]
async function axeScan(page) {
  await page.evaluate(axeSource + '\n;undefined');  // CDP evaluation: not subject to the CSP
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length,
                                      sample: v.nodes[0] && v.nodes[0].target.join(' ') }));
  });
}

const [base, outDir, ...extra] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
const out = { errors: [], dialogs: [], external: [], pages: {} };
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') out.errors.push(m.text()); });
  page.on('pageerror', (e) => out.errors.push(String(e)));
  page.on('dialog', (d) => { out.dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(base) && !u.startsWith('data:') && !u.startsWith('file:')) out.external.push(u);
  });

  await page.goto(base + '/', { waitUntil: 'load' });
  out.pages.list = { title: await page.title(), stories: await page.locator('table.stories a').count() };
  out.axe = { list: await axeScan(page) };
  await page.screenshot({ path: `${outDir}/list.png`, fullPage: true });

  await page.locator('table.stories a').first().click();
  await page.waitForLoadState('load');
  out.pages.story = { url: page.url(), title: await page.locator('h1').first().textContent() };
  out.axe.story = await axeScan(page);
  await page.screenshot({ path: `${outDir}/story.png`, fullPage: true });

  const cite = page.locator('ul.summary a.cite').first();
  out.cited = {
    article: await cite.getAttribute('data-article'),
    start: Number(await cite.getAttribute('data-start')),
    end: Number(await cite.getAttribute('data-end')),
  };
  out.citeLabel = await cite.textContent();
  await cite.click();
  await page.locator('.cite-pop q').first().waitFor({ state: 'visible', timeout: 5000 });
  out.popover = await page.locator('.cite-pop q').first().textContent();
  out.popoverHead = await page.locator('.cite-pop-head').first().textContent();
  out.hashAfterClick = new URL(page.url()).hash;
  out.scrollAfterClick = await page.evaluate(() => window.scrollY);
  await page.screenshot({ path: `${outDir}/story-citation.png` });
  await page.locator('.cite-pop .cite-go').first().click();
  await page.locator('mark.hl').first().waitFor({ state: 'visible', timeout: 5000 });
  out.highlighted = await page.$$eval('mark.hl', (ms) => ms.map((m) => m.textContent).join(''));
  out.highlightInBody = await page.$eval('mark.hl', (m) => m.closest('.body').id);
  await page.goBack();
  await page.waitForTimeout(200);
  out.afterBack = { hash: new URL(page.url()).hash, popovers: await page.locator('.cite-pop').count() };
  out.legend = await page.$$eval('ol.sources-list li', (ls) => ls.map((l) => l.textContent));
  out.labels = await page.$$eval('a.cite', (as) => as.map((a) => a.textContent));

  const articleUrl = `${base}/articles/${encodeURIComponent(out.cited.article)}#hl=${out.cited.start}-${out.cited.end}`;
  await page.goto(articleUrl, { waitUntil: 'load' });
  await page.locator('mark.hl').first().waitFor({ state: 'visible', timeout: 5000 });
  out.pages.article = {
    highlighted: await page.$$eval('mark.hl', (ms) => ms.map((m) => m.textContent).join('')),
    removed: await page.locator('.body .removed').count(),
    removedColor: await page.$eval('.body .removed', (e) => getComputedStyle(e).color).catch(() => null),
    keptColor: await page.$eval('.body .kept', (e) => getComputedStyle(e).color),
  };
  out.axe.article = await axeScan(page);
  await page.screenshot({ path: `${outDir}/article.png`, fullPage: true });

  // The desktop page (1280 px) and a phone (390 px): which pages scroll sideways?
  const pages = [['list', base + '/'], ['story', out.pages.story.url], ['article', articleUrl]];
  async function widths(pg, shots) {
    const got = {};
    for (const [name, url] of pages) {
      await pg.goto(url, { waitUntil: 'load' });
      got[name] = await pg.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth,
                                             innerWidth: window.innerWidth }));
      if (shots) await pg.screenshot({ path: `${outDir}/${shots}-${name}.png`, fullPage: true });
    }
    return got;
  }
  out.desktop = await widths(page, null);
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 } });
  out.phone = await widths(await phone.newPage(), 'phone');
  await phone.close();

  for (const [i, url] of extra.entries()) {
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForTimeout(300);  // give any injected handler (onerror...) the time to fire
    const info = { url, scripts: await page.locator('script').count() };
    const cites = page.locator('a.cite');
    if (await cites.count()) {
      const c = cites.first();
      info.citeText = await c.getAttribute('data-text');
      await c.click();
      await page.locator('.cite-pop q').first().waitFor({ state: 'visible', timeout: 5000 });
      info.popover = await page.locator('.cite-pop q').first().textContent();
      await page.locator('.cite-pop .cite-go').first().click();
      await page.locator('mark.hl').first().waitFor({ state: 'visible', timeout: 5000 });
      info.highlighted = await page.$$eval('mark.hl', (ms) => ms.map((m) => m.textContent).join(''));
    }
    out.pages[`extra${i}`] = info;
    await page.screenshot({ path: `${outDir}/extra${i}.png`, fullPage: true });
  }
} catch (e) {
  out.failure = String(e && e.stack || e);
} finally {
  await browser.close();
}
console.log(JSON.stringify(out));
