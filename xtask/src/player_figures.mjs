// Player figures for `cargo xtask bench` (bench.rs runs it with node): the
// time to the first frame of a sample programme in headless Chromium, over
// loopback and with DevTools' Slow 4G profile, with the puppeteer-core
// that Lighthouse installs (bench.rs puts its path in place of the
// placeholder below).
//
// Two figures per run: from the play request (a click on Play, the page
// and the player open) to the first video frame, and from the navigation
// to the first frame when Play is pressed as soon as it shows. The first
// frame is the first `requestVideoFrameCallback`, or `loadeddata` where
// that does not exist.
import puppeteer from '__PUPPETEER__';
const base = process.argv[2];
const path = process.argv[3];
const ROUNDS = Math.max(1, Number(process.env.YUELAN_PLAYER_ROUNDS) || 5);
const browser = await puppeteer.launch({
  executablePath: process.env.CHROME_PATH,
  args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--no-first-run', '--autoplay-policy=no-user-gesture-required'],
});
// DevTools' Slow 4G (what Lighthouse's mobile profile simulates).
const SLOW_4G = { offline: false, latency: 562.5, downloadThroughput: 1474.56 * 1024 / 8, uploadThroughput: 675 * 0.9 * 1024 / 8 };
const median = (xs) => { const v = [...xs].sort((a, b) => a - b); return v[Math.floor((v.length - 1) / 2)]; };

async function once(throttle) {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport({ width: 390, height: 844, deviceScaleFactor: 3, isMobile: true, hasTouch: true });
  const cdp = await page.createCDPSession();
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  if (throttle) await cdp.send('Network.emulateNetworkConditions', throttle);
  await page.goto(`${base}${path}`, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('.player button.player-play', { timeout: 60000 });
  const times = await page.evaluate(() => new Promise((resolve, reject) => {
    const video = document.querySelector('.player video');
    const clicked = performance.now();
    const done = () => resolve({ clicked, frame: performance.now() });
    if (video.requestVideoFrameCallback) video.requestVideoFrameCallback(done);
    else video.addEventListener('loadeddata', done, { once: true });
    setTimeout(() => reject(new Error('no frame in 30 s')), 30000);
    document.querySelector('.player button.player-play').click();
  }));
  const hls = await page.evaluate(() => performance.getEntriesByType('resource')
    .filter((e) => /\/hls-[0-9a-f]{16}\.js$/.test(e.name)).map((e) => e.encodedBodySize)[0] || 0);
  await context.close();
  return { fromPlay: times.frame - times.clicked, fromNavigation: times.frame, hls };
}

const rows = [];
for (const [name, throttle, budget] of [['loopback', null, 1000], ['Slow 4G', SLOW_4G, 2000]]) {
  const fromPlay = [], fromNavigation = [];
  let hls = 0;
  for (let i = 0; i < ROUNDS; i++) {
    const r = await once(throttle);
    fromPlay.push(r.fromPlay);
    fromNavigation.push(r.fromNavigation);
    hls = r.hls;
  }
  rows.push({ name, play: median(fromPlay), worst: Math.max(...fromPlay), nav: median(fromNavigation), budget, hls });
}
await browser.close();
console.log(`(${ROUNDS} rounds, fresh browser context and no cache each; YUELAN_PLAYER_ROUNDS changes it) ${path}`);
console.log(`${'network'.padEnd(10)} ${'TTFF from play, median ms'.padStart(26)} ${'worst'.padStart(6)} ${'from navigation ms'.padStart(19)} ${'budget'.padStart(7)}  hls.js bytes on the wire`);
for (const r of rows) {
  console.log(`${r.name.padEnd(10)} ${String(Math.round(r.play)).padStart(26)} ${String(Math.round(r.worst)).padStart(6)} ${String(Math.round(r.nav)).padStart(19)} ${String(r.budget).padStart(7)}  ${r.hls}`);
}
