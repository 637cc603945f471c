// The fault matrix for HubSpot's side, against the stand-in. `npm run test:faults` prints the
// table this writes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { StandInConfig } from '../src/testing/index';
import { type Harness, setUp, validToken } from './harness';

const alice = 'alice@example.com';
const rows: Array<{ case: string; expected: string; observed: string; pass: boolean }> = [];

afterAll(() => {
  mkdirSync('.ci-out', { recursive: true });
  writeFileSync('.ci-out/faults-hubspot.json', JSON.stringify(rows, null, 2));
});

interface Fault {
  name: string;
  expected: string;
  config?: StandInConfig;
  before?: (h: Harness) => void | Promise<void>;
  observe: (h: Harness) => string | Promise<string>;
}

const errors = (h: Harness) =>
  h.events.filter((e) => e[0] === 'error').map((e) => (e[1] as { code: string }).code);

/** Logs alice in and describes what came of it. */
async function loginOutcome(h: Harness): Promise<string> {
  h.tokens.push(validToken(h.standIn, alice));
  const result = await Promise.all([
    h.chat.login().then(
      () => 'resolved',
      (e: { code: string }) => e.code,
    ),
    h.advance(20_000),
  ]);
  const identity = h.settings()?.identificationEmail ?? 'none';
  return `login ${result[0]}, ${h.chat.state}, settings: ${identity}, errors: [${errors(h).join(',')}]`;
}

const unavailable = `login resolved, authenticated, settings: ${alice}, errors: [WIDGET_UNAVAILABLE]`;

const faults: Fault[] = [
  {
    name: 'loader script 404 (error event)',
    expected: unavailable,
    before: (h) => {
      void h.chat.start();
      document.getElementById('hs-script-loader')?.dispatchEvent(new Event('error'));
    },
    observe: loginOutcome,
  },
  {
    name: 'chat script blocked (ad blocker)',
    expected: unavailable,
    config: { blocked: true },
    observe: loginOutcome,
  },
  {
    name: 'API never ready (unsupported browser)',
    expected: unavailable,
    config: { unsupported: true },
    observe: loginOutcome,
  },
  {
    name: 'widgetLoaded never fires (targeting hides the widget)',
    expected: `login resolved, authenticated, settings: ${alice}, errors: []; no iframe`,
    config: { targeting: () => false },
    observe: async (h) =>
      `${await loginOutcome(h)}; ${document.querySelector('#hubspot-messages-iframe-container') ? 'iframe' : 'no iframe'}`,
  },
  {
    name: 'display delay keeps the widget pending',
    expected: `login resolved, authenticated, settings: ${alice}, errors: []; pending`,
    config: { displayDelayMs: 60_000 },
    observe: async (h) =>
      `${await loginOutcome(h)}; ${h.standIn.fake.state().pending ? 'pending' : 'not pending'}`,
  },
  {
    name: 'load dropped by the throttle (someone else loaded within the second)',
    expected: 'logout: anonymous instance loaded',
    observe: async (h) => {
      h.tokens.push(validToken(h.standIn, alice));
      await Promise.all([h.chat.login(), h.advance(1500)]);
      const stale = (window as unknown as { HubSpotConversations: { widget: { load(): void } } })
        .HubSpotConversations;
      const logout = h.chat.logout();
      stale.widget.load();
      await Promise.all([logout, h.advance(5000)]);
      const s = h.standIn.fake.state();
      return `logout: ${s.identity.identified ? 'identified' : 'anonymous'} instance ${s.loaded ? 'loaded' : 'not loaded'}`;
    },
  },
  {
    name: 'hsConversationsOnReady callbacks run twice',
    expected: 'events forwarded once',
    observe: async (h) => {
      await Promise.all([h.chat.start(), h.advance(500)]);
      const callbacks = (window as unknown as { hsConversationsOnReady: Array<() => void> })
        .hsConversationsOnReady;
      for (let run = 0; run < 2; run++) {
        for (const callback of callbacks) callback();
      }
      h.events.length = 0;
      h.standIn.fake.simulate.unread(3);
      return h.events.length === 1
        ? 'events forwarded once'
        : `events forwarded ${h.events.length} times`;
    },
  },
  {
    name: "page already has HubSpot's tracking loader, widget auto-loading",
    expected: `one loader; login resolved, authenticated, settings: ${alice}, errors: []; widget identified`,
    before: async (h) => {
      (window as unknown as { hsConversationsSettings: object }).hsConversationsSettings = {
        loadImmediately: true,
      };
      const loader = document.createElement('script');
      loader.id = 'hs-script-loader';
      loader.src = 'https://js.hs-scripts.com/1234567.js';
      document.body.appendChild(loader);
      await h.advance(500);
    },
    observe: async (h) => {
      const outcome = await loginOutcome(h);
      const loaders = document.querySelectorAll('#hs-script-loader').length;
      const identified = h.standIn.fake.state().identity.identified;
      return `${loaders === 1 ? 'one loader' : `${loaders} loaders`}; ${outcome}; widget ${identified ? 'identified' : 'anonymous'}`;
    },
  },
  {
    name: 'invalid inlineEmbedSelector',
    expected: `login resolved, authenticated, settings: ${alice}, errors: []; pending`,
    observe: async (h) =>
      `${await loginOutcome(h)}; ${h.standIn.fake.state().pending ? 'pending' : 'not pending'}`,
  },
  {
    name: 'page left a null identificationEmail in the settings',
    expected: 'API created; widget loaded',
    before: () => {
      (window as unknown as { hsConversationsSettings: object }).hsConversationsSettings = {
        identificationEmail: null,
      };
    },
    observe: async (h) => {
      await Promise.all([h.chat.start(), h.advance(500)]);
      const api = (window as unknown as { HubSpotConversations?: unknown }).HubSpotConversations;
      return `${api ? 'API created' : 'no API'}; widget ${h.standIn.fake.state().loaded ? 'loaded' : 'not loaded'}`;
    },
  },
];

describe('HubSpot-side fault matrix', () => {
  for (const fault of faults) {
    it(fault.name, async () => {
      const h = setUp(
        {
          readyTimeoutMs: 3000,
          ...(fault.name.startsWith('invalid inline')
            ? { widget: { inlineEmbedSelector: '#missing' } }
            : {}),
        },
        fault.config,
      );
      await fault.before?.(h);
      const observed = await fault.observe(h);
      rows.push({
        case: fault.name,
        expected: fault.expected,
        observed,
        pass: observed === fault.expected,
      });
      expect(observed).toBe(fault.expected);
    });
  }
});
