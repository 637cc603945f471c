// `npm run bench`'s real-embed section (REAL_WIDGET_BENCH=1): on HubSpot's newest build, offline,
// with 0 ms answers, the medians of 20 runs of the time from the token in hand (the anonymous widget
// on the page) to the identified widget inserted, from a switch to bob's widget, and from a logout to the anonymous widget — for
// the SDK and, in the same run, for a hand-written integration that follows HubSpot's documentation
// (settings, `clear({ resetWidget: true })`, `widget.load()`). Skipped in `npm run test:real-widget`.
import { test } from '@playwright/test';
import { buildNumber, PORTAL_ID } from './offline-hubspot';
import { buildOf, openScenario } from './site';

const RUNS = Number(process.env.REAL_WIDGET_BENCH_RUNS ?? 20);

/** One run's three figures, in ms on the page's clock. */
type Figures = { login: number; switch: number; logout: number };

/** Runs in the page: the three steps, each timed until the right container is on the page. */
async function measure([mode, portalId]: readonly ['sdk' | 'hand-written', string]): Promise<{
  inserted: Figures;
  loaded: Figures;
}> {
  const w = window as unknown as {
    HubSpotVisitorChat: {
      createChat(o: object): {
        start(): Promise<void>;
        login(o?: object): Promise<unknown>;
        logout(): Promise<void>;
      };
    };
    HubSpotConversations?: {
      widget: { load(): void; status(): { loaded: boolean } };
      clear(o: object): void;
    };
    hsConversationsSettings?: Record<string, unknown>;
    hsConversationsOnReady?: Array<() => void>;
    __widget: { shown(): string | null | undefined };
  };
  /**
   * Resolves with the time when `who`'s container is on the page and, with `loaded`, HubSpot also
   * says the widget loaded (its iframe's `load`: what a visitor sees). Checked at every mutation and
   * every 2 ms (a load changes no DOM).
   */
  const inserted = (who: string | null, loaded = false) =>
    new Promise<number>((resolve) => {
      const check = () => {
        const ok = !loaded || w.HubSpotConversations?.widget.status().loaded;
        if (w.__widget.shown() === who && ok) {
          observer.disconnect();
          clearInterval(poll);
          resolve(performance.now());
          return true;
        }
        return false;
      };
      const observer = new MutationObserver(check);
      observer.observe(document.body, { childList: true, subtree: true, attributes: true });
      const poll = setInterval(check, 2);
      check();
    });
  /** Both figures of one step: `who`'s container in, and loaded; from `start`. */
  const step = async (key: keyof Figures, who: string | null, start: () => number) => {
    times[key] = (await inserted(who)) - start();
    loadedTimes[key] = (await inserted(who, true)) - start();
  };
  const settle = () => new Promise((r) => setTimeout(r, 1200));
  let user = 'alice@example.com';
  let n = 0;
  const token = () => `tok_${btoa(user)}_${++n}`;
  const times: Figures = { login: 0, switch: 0, logout: 0 };
  const loadedTimes: Figures = { login: 0, switch: 0, logout: 0 };
  if (mode === 'sdk') {
    let handed = 0;
    const chat = w.HubSpotVisitorChat.createChat({
      portalId,
      retries: 0,
      fetchToken: async () => {
        handed = performance.now();
        return { email: user, token: token(), expiresIn: 3600 };
      },
    });
    (window as unknown as { __chat: unknown }).__chat = chat;
    // Both runs start from the anonymous widget on the page, as a visitor who then signs in.
    await chat.start();
    await inserted(null);
    await settle();
    await chat.login();
    await step('login', user, () => handed);
    await settle();
    user = 'bob@example.com';
    const switched = chat.login({ fresh: true });
    await step('switch', user, () => handed);
    await switched;
    await settle();
    const out = performance.now();
    await chat.logout();
    await step('logout', null, () => out);
    return { inserted: times, loaded: loadedTimes };
  }
  // Hand-written, as HubSpot documents it.
  const ready = () =>
    new Promise<NonNullable<typeof w.HubSpotConversations>>((resolve) => {
      const go = () => w.HubSpotConversations && resolve(w.HubSpotConversations);
      if (w.HubSpotConversations) go();
      else w.hsConversationsOnReady = [go];
    });
  w.hsConversationsSettings = { loadImmediately: false };
  const script = document.createElement('script');
  script.src = `https://js.hs-scripts.com/${portalId}.js`;
  document.body.append(script);
  const api = await ready();
  api.widget.load();
  await inserted(null);
  /** HubSpot's documented switch: the settings, a reset, a load; ms until `who`'s widget is in. */
  const resetAs = async (key: keyof Figures, who: string | null) => {
    await settle();
    const start = performance.now();
    const settings = w.hsConversationsSettings ?? {};
    delete settings.identificationEmail;
    delete settings.identificationToken;
    if (who) Object.assign(settings, { identificationEmail: who, identificationToken: token() });
    (w.HubSpotConversations ?? api).clear({ resetWidget: true });
    (await ready()).widget.load();
    await step(key, who, () => start);
  };
  await resetAs('login', user);
  user = 'bob@example.com';
  await resetAs('switch', user);
  await resetAs('logout', null);
  return { inserted: times, loaded: loadedTimes };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

test('bench: the SDK against a hand-written integration on the real embed', async ({
  context,
}, testInfo) => {
  const build = buildOf(testInfo);
  const newest = Math.max(...(testInfo.config.projects.map((p) => buildNumber(p.name)) ?? [0]));
  test.skip(!process.env.REAL_WIDGET_BENCH, 'npm run bench runs it');
  test.skip(buildNumber(build.name) !== newest, 'measured on the newest build only');
  test.setTimeout(RUNS * 2 * 15_000);
  const rows: Record<string, Array<{ inserted: Figures; loaded: Figures }>> = {
    sdk: [],
    'hand-written': [],
  };
  for (let run = 0; run < RUNS; run++) {
    for (const mode of ['sdk', 'hand-written'] as const) {
      const page = await context.newPage();
      await openScenario(page, build);
      rows[mode]?.push(await page.evaluate(measure, [mode, PORTAL_ID] as const));
      await page.close();
      await context.unrouteAll({ behavior: 'ignoreErrors' });
    }
  }
  const line = (mode: string, what: 'inserted' | 'loaded') => {
    const figures = (rows[mode] ?? []).map((r) => r[what]);
    const m = (k: keyof Figures) => median(figures.map((f) => f[k])).toFixed(1);
    return `${mode.padEnd(12)} token → alice ${m('login')} ms, switch → bob ${m('switch')} ms, logout → anonymous ${m('logout')} ms`;
  };
  console.log(`real embed ${build.name}, medians of ${RUNS}, 0 ms answers:`);
  console.log(
    'until the right container is in the page (the SDK shows it once its iframe loaded):',
  );
  console.log(line('sdk', 'inserted'));
  console.log(line('hand-written', 'inserted'));
  console.log('until it is also loaded (HubSpot status().loaded, what a visitor sees):');
  console.log(line('sdk', 'loaded'));
  console.log(line('hand-written', 'loaded'));
});
