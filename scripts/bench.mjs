// `npm run bench`: the login path in Chromium against the HubSpot stand-in with no artificial
// delays. Prints medians; nothing here is a pass/fail test. Figures go to README "Performance".
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { chromium } from '@playwright/test';
import { chromiumPath } from './chromium-path.mjs';
import { LAUNCHER_UMD_FILE, UMD_FILE } from './size.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 101);
const CYCLES = Number(process.env.BENCH_CYCLES ?? 1000);
const umd = readFileSync(UMD_FILE, 'utf8');
const launcher = readFileSync(LAUNCHER_UMD_FILE, 'utf8');
const standIn = readFileSync('dist/testing/hubspot-stand-in.js', 'utf8');
const origin = 'https://bench.test'; // a secure context, so that cross-origin isolation applies

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

// The stand-in with no delays, and a hook that times the first widget.load() on the stub.
const prelude = `<script>
  window.__fakeHubSpot = { config: { initDelayMs: 0, widgetDataDelayMs: 0, iframeLoadDelayMs: 0 } };
  window.bench = { loadAt: 0, tokenAt: 0 };
  window.whenApi = () => new Promise((resolve) => {
    const check = () => {
      const api = window.HubSpotConversations;
      if (!api) return setTimeout(check, 1);
      if (!api.__timed) {
        const load = api.widget.load;
        api.widget.load = (...args) => { if (!bench.loadAt) bench.loadAt = performance.now(); return load.apply(api.widget, args); };
        api.__timed = true;
      }
      resolve(api);
    };
    check();
  });
</script>`;

const pages = {
  '/sdk.html': `<!doctype html><body>${prelude}<script src="/sdk.js"></script><script>
    const email = 'alice@example.com';
    window.chat = HubSpotVisitorChat.createChat({
      scriptUrl: '/stand-in.js', syncTabs: false,
      fetchToken: async () => {
        await whenApi(); // HubSpot is ready: from here on, the token is all the SDK waits for
        const token = __fakeHubSpot.issueToken(email);
        bench.tokenAt = performance.now();
        return { email, token, expiresIn: 3600 };
      },
    });
  </script></body>`,
  // The floor: the same HubSpot sequence written by hand, no SDK.
  '/floor.html': `<!doctype html><body>${prelude}<script>
    window.runFloor = async () => {
      window.hsConversationsSettings = { loadImmediately: false };
      const s = document.createElement('script'); s.id = 'hs-script-loader'; s.src = '/stand-in.js';
      document.head.appendChild(s);
      const api = await whenApi();
      const email = 'alice@example.com';
      // As an app would: await its token request, then hand the answer to HubSpot.
      const response = await (async () => {
        const token = __fakeHubSpot.issueToken(email);
        bench.tokenAt = performance.now();
        return { email, token, expiresIn: 3600 };
      })();
      window.hsConversationsSettings.identificationEmail = response.email;
      window.hsConversationsSettings.identificationToken = response.token;
      window.HubSpotConversations.widget.load();
    };
  </script></body>`,
  '/cold.html': '<!doctype html><body></body>',
  // Lazy loading (issue 12): HubSpot's real script URL, the launcher standing in until a click.
  '/lazy.html': `<!doctype html><body><script src="/sdk.js"></script><script src="/launcher.js"></script><script>
    window.__fakeHubSpot = { config: { initDelayMs: 0, widgetDataDelayMs: 0, iframeLoadDelayMs: 0 } };
    window.chat = HubSpotVisitorChat.createChat({
      portalId: '1234567', load: HubSpotVisitorChat.loadOnInteraction, syncTabs: false,
      fetchToken: async () => ({ email: 'alice@example.com', token: 'h.p.s', expiresIn: 3600 }),
    });
    HubSpotVisitorChat.mountLauncher(chat);
    window.lazy = { clickAt: 0, loadedAt: 0 };
    addEventListener('click', () => { lazy.clickAt = performance.now(); }, { capture: true });
    chat.on('widgetLoaded', () => { lazy.loadedAt = performance.now(); });
    chat.start();
  </script></body>`,
};
/** Where HubSpot's loader, chat script, iframe and tracking come from — docs/hubspot.md §1, §6.9. */
const HUBSPOT_ORIGINS =
  /(^|\.)(hs-scripts\.com|usemessages\.com|hubspot\.com|hsappstatic\.net|hs-analytics\.net|hs-banner\.com|hscollectedforms\.net|hubapi\.com)$/;

const browser = await chromium.launch({
  executablePath: chromiumPath(),
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
const context = await browser.newContext();
await context.route(`${origin}/**`, (route) => {
  const path = new URL(route.request().url()).pathname;
  if (path === '/sdk.js') return route.fulfill({ body: umd, contentType: 'text/javascript' });
  if (path === '/launcher.js')
    return route.fulfill({ body: launcher, contentType: 'text/javascript' });
  if (path === '/stand-in.js')
    return route.fulfill({ body: standIn, contentType: 'text/javascript' });
  if (pages[path]) {
    // Cross-origin isolation gives performance.now() 5 µs resolution instead of 100 µs.
    return route.fulfill({
      body: pages[path],
      contentType: 'text/html',
      headers: {
        'Cross-Origin-Opener-Policy': 'same-origin',
        'Cross-Origin-Embedder-Policy': 'require-corp',
      },
    });
  }
  return route.fulfill({ status: 404 });
});
// HubSpot's loader URL answered by the stand-in (which plays the chat script too), offline.
await context.route('https://js.hs-scripts.com/**', (route) =>
  route.fulfill({ body: standIn, contentType: 'text/javascript' }),
);
await context.route('https://js.usemessages.com/**', (route) =>
  route.fulfill({ body: standIn, contentType: 'text/javascript' }),
);
const page = await context.newPage();
const version = browser.version();

await page.goto(`${origin}/sdk.html`);
const isolated = await page.evaluate(() => crossOriginIsolated);

// 1. Overhead: token available → the identified instance's load() call.
const sdk = [];
const floor = [];
for (let i = 0; i < RUNS; i++) {
  await page.goto(`${origin}/sdk.html`);
  await page.evaluate(() => chat.login());
  sdk.push(await page.evaluate(() => bench.loadAt - bench.tokenAt));
  await page.goto(`${origin}/floor.html`);
  await page.evaluate(() => runFloor());
  floor.push(await page.evaluate(() => bench.loadAt - bench.tokenAt));
}

// 2. Requests for a burst of 10 concurrent login() calls.
await page.goto(`${origin}/cold.html`);
const requests = await page.evaluate(
  async ({ umd, standIn }) => {
    const script = document.createElement('script'); // the bundle, as a <script> runs it
    script.textContent = umd;
    document.head.appendChild(script);
    const blob = URL.createObjectURL(new Blob([standIn], { type: 'text/javascript' }));
    let count = 0;
    window.__fakeHubSpot = { config: {} };
    const chat = HubSpotVisitorChat.createChat({
      scriptUrl: blob,
      syncTabs: false,
      fetchToken: async () => {
        count++;
        await new Promise((r) => setTimeout(r, 20));
        return { email: 'alice@example.com', token: 'header.payload.signature', expiresIn: 3600 };
      },
    });
    await Promise.all(Array.from({ length: 10 }, () => chat.login()));
    return count;
  },
  { umd, standIn },
);

// 3. Cold start: evaluate the UMD bundle and call createChat.
const cold = [];
for (let i = 0; i < RUNS; i++) {
  await page.goto(`${origin}/cold.html`);
  cold.push(
    await page.evaluate((source) => {
      const t0 = performance.now();
      const script = document.createElement('script');
      script.textContent = source;
      document.head.appendChild(script);
      HubSpotVisitorChat.createChat({ portalId: '1', tokenUrl: '/t' });
      return performance.now() - t0;
    }, umd),
  );
}

// 5. Lazy loading: bytes from HubSpot's origins before the first interaction, and the time from
// the first click on the launcher to `widgetLoaded`.
let hubspotBytesBefore = 0;
let hubspotRequestsBefore = 0;
/** The same count after the click: proves the counter sees HubSpot's origins at all. */
let hubspotBytesAfter = 0;
const clickToLoaded = [];
for (let i = 0; i < Math.min(RUNS, 21); i++) {
  let counting = true;
  const onResponse = async (response) => {
    if (!HUBSPOT_ORIGINS.test(new URL(response.url()).hostname)) return;
    const bytes = (await response.body().catch(() => Buffer.alloc(0))).length;
    if (counting) {
      hubspotRequestsBefore++;
      hubspotBytesBefore += bytes;
    } else hubspotBytesAfter += bytes;
  };
  page.on('response', onResponse);
  await page.goto(`${origin}/lazy.html`);
  await page.waitForTimeout(1000); // an idle page: nothing of HubSpot's may come
  counting = false;
  await page.getByRole('button', { name: 'Chat with us' }).click();
  await page.waitForFunction(() => lazy.loadedAt > 0);
  page.off('response', onResponse);
  clickToLoaded.push(await page.evaluate(() => lazy.loadedAt - lazy.clickAt));
}

// 4. Leaks: login/logout cycles on a fake clock (HubSpot's throttle would make them last 30 min).
const leakPage = await context.newPage();
await leakPage.clock.install();
await leakPage.addInitScript(() => {
  // Count the page's live timers: the SDK's and the stand-in's.
  const live = new Set();
  const set = window.setTimeout;
  const clear = window.clearTimeout;
  window.setTimeout = (fn, ms, ...args) => {
    const id = set(
      (...a) => {
        live.delete(id);
        if (typeof fn === 'function') fn(...a);
      },
      ms,
      ...args,
    );
    live.add(id);
    return id;
  };
  window.clearTimeout = (id) => {
    live.delete(id);
    clear(id);
  };
  window.liveTimers = () => live.size;
});
await leakPage.goto(`${origin}/sdk.html`);
const cdp = await context.newCDPSession(leakPage);
await cdp.send('Performance.enable');
const snapshot = async () => {
  await leakPage.clock.runFor(5000); // let every reset, load and timer settle
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const metric = (name) => metrics.find((m) => m.name === name)?.value ?? 0;
  const page = await leakPage.evaluate(() => {
    const hubspot = __fakeHubSpot.state();
    return {
      listeners: Object.values(hubspot.listenerCounts).reduce((a, b) => a + b, 0),
      timers: liveTimers(),
      loaded: hubspot.loaded,
      instances: hubspot.shells.length,
    };
  });
  return { nodes: metric('Nodes'), heap: metric('JSHeapUsedSize'), ...page };
};
const cycle = async () => {
  const login = leakPage.evaluate(() => chat.login());
  await leakPage.clock.runFor(3000);
  await login;
  const logout = leakPage.evaluate(() => chat.logout());
  await leakPage.clock.runFor(3000);
  await logout;
};
await cycle();
const before = await snapshot();
const leakStarted = Date.now();
for (let i = 0; i < CYCLES / 2; i++) await cycle();
// Half-way: the first cycles also warm up V8 (compiled code, feedback); the second half's growth
// per cycle is what a leak would look like.
const halfway = await snapshot();
for (let i = CYCLES / 2; i < CYCLES; i++) await cycle();
const after = await snapshot();
const leakSeconds = (Date.now() - leakStarted) / 1000;
await browser.close();

const ms = (v) => `${v.toFixed(2)} ms`;
console.log(
  `machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores; Chromium ${version}; Node ${process.version}`,
);
console.log(
  `overhead (token available → identified widget.load()), median of ${RUNS}${isolated ? '' : ' (timer resolution 100 µs)'}:`,
);
console.log(`  SDK   ${ms(median(sdk))}`);
console.log(`  floor ${ms(median(floor))}  (the same HubSpot calls by hand)`);
console.log(
  `  ratio ${(median(sdk) / Math.max(median(floor), 0.001)).toFixed(2)}× the floor; SDK − floor = ${ms(median(sdk) - median(floor))}`,
);
console.log(`requests: ${requests} token request(s) for 10 concurrent login() calls`);
console.log(`cold start (evaluate UMD + createChat), median of ${RUNS}: ${ms(median(cold))}`);
console.log(
  `load: loadOnInteraction: ${hubspotBytesBefore} B in ${hubspotRequestsBefore} request(s) from HubSpot's origins before the first interaction (${clickToLoaded.length} page loads; ${hubspotBytesAfter} B after the clicks); first launcher click → widgetLoaded (stand-in, no delays), median: ${ms(median(clickToLoaded))}`,
);
console.log(
  `leaks after ${CYCLES} login/logout cycles (${leakSeconds.toFixed(0)} s), after forced GC:`,
);
console.log(`  DOM nodes          ${before.nodes} → ${after.nodes}`);
console.log(`  HubSpot listeners  ${before.listeners} → ${after.listeners}`);
console.log(`  live timers        ${before.timers} → ${after.timers}`);
console.log(
  `  JS heap            ${(before.heap / 1024).toFixed(0)} KB → ${(after.heap / 1024).toFixed(0)} KB (${((after.heap - before.heap) / 1024).toFixed(0)} KB)`,
);
const perCycle = (after.heap - halfway.heap) / (CYCLES - CYCLES / 2) / 1024;
console.log(
  `  JS heap per cycle  ${perCycle.toFixed(2)} KB over the second ${CYCLES - CYCLES / 2} cycles, which also` +
    ` made the stand-in record ${after.instances - halfway.instances} instances and ${CYCLES - CYCLES / 2} tokens`,
);
console.log(`  widget loaded      ${before.loaded} → ${after.loaded}`);

// HubSpot's real embed, offline, when its files are here (docs/testing.md): the SDK against a
// hand-written integration that follows HubSpot's documentation.
const embedDir = process.env.HUBSPOT_EMBED_DIR ?? '../shared/hubspot-embed';
if (existsSync(embedDir)) {
  const { spawnSync } = await import('node:child_process');
  spawnSync(
    'npx',
    ['playwright', 'test', '-c', 'playwright.real-widget.config.ts', 'bench', '--reporter=line'],
    {
      stdio: 'inherit',
      env: { ...process.env, REAL_WIDGET_BENCH: '1', HUBSPOT_EMBED_DIR: embedDir },
    },
  );
} else {
  console.log(`real embed: not measured — no HubSpot embed in ${embedDir} (docs/testing.md)`);
}
