// Page figures for `cargo xtask bench` (bench.rs runs it with node): long
// tasks and the JS heap in headless Chromium at a phone viewport with the
// CPU slowed 4x (Lighthouse's mobile profile), against the reference server
// on the seed catalog. bench.rs puts puppeteer-core's path in place of
// the placeholder in the import below (the one Lighthouse installs).
import puppeteer from '__PUPPETEER__';
const base = process.argv[2];
const browser = await puppeteer.launch({
  executablePath: process.env.CHROME_PATH,
  args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--no-first-run', '--js-flags=--expose-gc'],
});
const longest = (tasks) => tasks.length ? Math.max(...tasks) : 0;
async function fresh() {
  const page = await browser.newPage();
  await page.setViewport({ width: 390, height: 844, deviceScaleFactor: 3, isMobile: true, hasTouch: true });
  await page.evaluateOnNewDocument(() => {
    window.__tasks = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__tasks.push(e.duration); })
      .observe({ type: 'longtask', buffered: true });
  });
  const cdp = await page.createCDPSession();
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  return { page, cdp };
}
const count = (page) => page.evaluate(() => document.querySelectorAll('ol.results > li').length);
async function waitCount(page, n) {
  await page.waitForFunction((n) => document.querySelectorAll('ol.results > li').length >= n, { timeout: 30000 }, n);
}
// Long tasks recorded since the last call.
const drain = (page) => page.evaluate(() => { const t = window.__tasks; window.__tasks = []; return t; });
const settle = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 300))));
// Each step runs ROUNDS times (YUELAN_PAGE_ROUNDS): its longest task varies
// a lot from run to run, so the table gives the median and the worst.
const ROUNDS = Math.max(1, Number(process.env.YUELAN_PAGE_ROUNDS) || 5);
const steps = new Map();
function row(what, tasks, extra = '') {
  if (!steps.has(what)) steps.set(what, { longest: [], counts: [], extra });
  const s = steps.get(what);
  s.longest.push(Math.round(longest(tasks)));
  s.counts.push(tasks.length);
  s.extra = extra;
}
const median = (xs) => { const v = [...xs].sort((a, b) => a - b); return v[Math.floor((v.length - 1) / 2)]; };
let heapLine = null;
for (let round = 0; round < ROUNDS; round++) {
  // 1. Open a search from its URL (the first load, 20 results).
  {
    const { page } = await fresh();
    await page.goto(`${base}/search?q=%E6%B4%BB%E7%9D%80`, { waitUntil: 'load' });
    await waitCount(page, 1);
    await settle(page);
    row('open /search?q=活着 (first load)', await drain(page), `${await count(page)} results`);

    // 2. A new search typed into the box: 20 results replace the list.
    await page.$eval('input[type=search]', (el) => { el.value = ''; });
    await page.type('input[type=search]', '小说');
    await drain(page);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /小说/.test(document.title) && document.querySelectorAll('ol.results > li').length >= 20, { timeout: 30000 });
    await settle(page);
    row('new search 小说 (20 results)', await drain(page), `${await count(page)} results`);

    // 3. Load more, twice: 40 then 60 results.
    for (const n of [40, 60]) {
      await page.click('button.load-more');
      await waitCount(page, n);
      await settle(page);
      row(`load more (to ${n} results)`, await drain(page), `${await count(page)} results`);
    }

    // 4. A record from far down the list, then back: the list is built
    // again and the page scrolls back to where it was.
    const y = await page.evaluate(() => {
      document.querySelector('ol.results > li:nth-child(50) a.result-title').scrollIntoView({ block: 'center' });
      return Math.round(window.scrollY);
    });
    await page.click('ol.results > li:nth-child(50) a.result-title');
    await page.waitForFunction(() => location.pathname.startsWith('/record/') && document.querySelector('table.holdings'), { timeout: 30000 });
    await settle(page);
    await drain(page);
    await page.goBack();
    await page.waitForFunction((y) => document.querySelectorAll('ol.results > li').length >= 60 && Math.abs(window.scrollY - y) <= 2, { timeout: 30000 }, y);
    await settle(page);
    row('back from a record to 60 results', await drain(page), `${await count(page)} results, scroll restored`);
    await page.close();
  }

  // 5. A search of 100 results (5 pages) opened from its URL, then the JS
  // heap once ready.
  {
    const { page, cdp } = await fresh();
    await page.goto(`${base}/search?q=%E6%96%87%E5%AD%A6&page=5`, { waitUntil: 'load' });
    await waitCount(page, 100);
    await settle(page);
    const tasks = await drain(page);
    await page.evaluate(() => window.gc && window.gc());
    const heap = await cdp.send('Runtime.getHeapUsage');
    const dom = await cdp.send('Memory.getDOMCounters').catch(() => ({ nodes: '?' }));
    row('open /search?q=文学&page=5', tasks, `${await count(page)} results`);
    heapLine = `${(heap.usedSize / 1048576).toFixed(2)} MiB used of ${(heap.totalSize / 1048576).toFixed(2)} MiB; ${dom.nodes} DOM nodes`;
    await page.close();
  }
}
await browser.close();
console.log(`(${ROUNDS} rounds; YUELAN_PAGE_ROUNDS changes it)`);
console.log(`${'step (phone 390x844, CPU 4x slower)'.padEnd(42)} ${'long tasks'.padStart(10)} ${'longest ms: median'.padStart(19)} ${'worst'.padStart(6)}  ${'over 50 ms'.padStart(10)}  notes`);
for (const [what, s] of steps) {
  const over = s.longest.filter((ms) => ms > 50).length;
  console.log(`${String(what).padEnd(42)} ${String(median(s.counts)).padStart(10)} ${String(median(s.longest)).padStart(19)} ${String(Math.max(...s.longest)).padStart(6)}  ${`${over} of ${s.longest.length}`.padStart(10)}  ${s.extra}`);
}
console.log(`${'ready JS heap, 100 results (after GC)'.padEnd(42)} ${heapLine}`);
console.log('budgets: results render (20-50 items) no long task over 50 ms; ready JS heap <= 8 MB');
