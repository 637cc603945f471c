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
async function measure([mode, portalId]: readonly [
  'sdk' | 'hand-written',
  string,
]): Promise<Figures> {
  const w = window as unknown as {
    HubSpotVisitorChat: {
      createChat(o: object): {
        start(): Promise<void>;
        login(o?: object): Promise<unknown>;
        logout(): Promise<void>;
      };
    };
    HubSpotConversations?: {
      widget: { load(): void };
      clear(o: object): void;
    };
    hsConversationsSettings?: Record<string, unknown>;
    hsConversationsOnReady?: Array<() => void>;
    __widget: { shown(): string | null | undefined };
  };
  /** Resolves with the time when `who`'s container is on the page (checked at every mutation). */
  const inserted = (who: string | null) =>
    new Promise<number>((resolve) => {
      const check = () => {
        if (w.__widget.shown() === who) {
          observer.disconnect();
          resolve(performance.now());
          return true;
        }
        return false;
      };
      const observer = new MutationObserver(check);
      observer.observe(document.body, { childList: true, subtree: true, attributes: true });
      check();
    });
  const settle = () => new Promise((r) => setTimeout(r, 1200));
  let user = 'alice@example.com';
  let n = 0;
  const token = () => `tok_${btoa(user)}_${++n}`;
  const times: Figures = { login: 0, switch: 0, logout: 0 };
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
    times.login = (await inserted(user)) - handed;
    await settle();
    user = 'bob@example.com';
    const switched = chat.login({ fresh: true });
    times.switch = (await inserted(user)) - handed;
    await switched;
    await settle();
    const out = performance.now();
    await chat.logout();
    times.logout = (await inserted(null)) - out;
    return times;
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
  const resetAs = async (who: string | null) => {
    await settle();
    const start = performance.now();
    const settings = w.hsConversationsSettings ?? {};
    delete settings.identificationEmail;
    delete settings.identificationToken;
    if (who) Object.assign(settings, { identificationEmail: who, identificationToken: token() });
    (w.HubSpotConversations ?? api).clear({ resetWidget: true });
    (await ready()).widget.load();
    return (await inserted(who)) - start;
  };
  times.login = await resetAs(user);
  user = 'bob@example.com';
  times.switch = await resetAs(user);
  times.logout = await resetAs(null);
  return times;
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
  const rows: Record<string, Figures[]> = { sdk: [], 'hand-written': [] };
  for (let run = 0; run < RUNS; run++) {
    for (const mode of ['sdk', 'hand-written'] as const) {
      const page = await context.newPage();
      await openScenario(page, build);
      rows[mode]?.push(await page.evaluate(measure, [mode, PORTAL_ID] as const));
      await page.close();
      await context.unrouteAll({ behavior: 'ignoreErrors' });
    }
  }
  const line = (mode: string) => {
    const figures = rows[mode] ?? [];
    const m = (k: keyof Figures) => median(figures.map((f) => f[k])).toFixed(1);
    return `${mode.padEnd(12)} token → alice ${m('login')} ms, switch → bob ${m('switch')} ms, logout → anonymous ${m('logout')} ms`;
  };
  console.log(`real embed ${build.name}, medians of ${RUNS}, 0 ms answers:`);
  console.log(line('sdk'));
  console.log(line('hand-written'));
});
