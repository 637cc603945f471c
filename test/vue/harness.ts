// Mounts the Vue adapter with @vue/test-utils against the HubSpot stand-in in happy-dom, on fake
// timers; `advance` lets time pass and then lets Vue apply what the chat's events changed.
import { mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, vi } from 'vitest';
import { type Component, h, nextTick } from 'vue';
import type { FetchTokenSource } from '../../src/index';
import { type InstalledStandIn, installHubSpotStandIn } from '../../src/testing/index';
import { HubSpotChatProvider, type HubSpotChatProviderProps } from '../../src/vue/index';

export interface VueHarness {
  standIn: InstalledStandIn;
  /** The app's backend: who its session says is signed in (null: nobody, answered with 401). */
  server: { user: string | null; requests: number };
  /** `fetchToken` answering as that backend would. */
  fetchToken: FetchTokenSource['fetchToken'];
  /** Lets `ms` of fake time pass, then Vue's pending updates. */
  advance: (ms?: number) => Promise<void>;
  /** What the console warned (the stand-in warns as HubSpot does, e.g. of a duplicate instance). */
  warnings: () => string[];
}

/** The real setTimeout, kept before any test fakes it. */
const realSetTimeout = globalThis.setTimeout;
/** Waits one real macrotask, whatever the fake timers do. */
export const realMacrotask = () => new Promise<void>((resolve) => realSetTimeout(resolve, 0));

const mounted: VueWrapper[] = [];
const cleanups: Array<() => void> = [];
let tests = 0;
afterEach(() => {
  for (const wrapper of mounted.splice(0)) wrapper.unmount(); // whatever a test left mounted
  for (const clean of cleanups.splice(0)) clean();
  vi.restoreAllMocks();
  vi.useRealTimers();
});

export const email = (user: string) => `${user}@example.com`;

export function setUp(): VueHarness {
  // An hour apart: HubSpot's one-load-a-second throttle is page-wide and outlives a test.
  vi.useFakeTimers({ now: Date.parse('2026-11-26T10:00:00Z') + 3_600_000 * ++tests });
  const standIn = installHubSpotStandIn();
  cleanups.push(() => standIn.uninstall());
  const warn = vi.spyOn(console, 'warn');
  const server = { user: null as string | null, requests: 0 };
  return {
    standIn,
    server,
    fetchToken: async () => {
      server.requests++;
      const { user } = server;
      if (!user) throw new Error('401: nobody is signed in');
      return { email: email(user), token: standIn.fake.issueToken(email(user)) };
    },
    advance: async (ms = 5000) => {
      await vi.advanceTimersByTimeAsync(ms);
      await nextTick();
    },
    warnings: () => warn.mock.calls.map((call) => String(call[0])),
  };
}

/** Mounts `<HubSpotChatProvider v-bind="props">` with `children` in its slot, attached to the document. */
export function mountProvider(props: HubSpotChatProviderProps, ...children: Component[]) {
  const wrapper = mount(HubSpotChatProvider, {
    props,
    slots: { default: () => children.map((child) => h(child)) },
    attachTo: document.body,
  });
  mounted.push(wrapper);
  return wrapper;
}

/** Unmounts `wrapper` now (and not again after the test). */
export function unmount(wrapper: VueWrapper): void {
  mounted.splice(mounted.indexOf(wrapper), 1);
  wrapper.unmount();
}

/** Mounts `component` alone (no provider), attached to the document. */
export function mountAlone(component: Component) {
  const wrapper = mount(component, { attachTo: document.body });
  mounted.push(wrapper);
  return wrapper;
}
