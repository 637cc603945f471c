// Renders the React adapter against the HubSpot stand-in in happy-dom, on fake timers: every step
// of time passes inside act(), so React commits what the chat's events changed before we look.
import { act, cleanup } from '@testing-library/react';
import { createElement, type ReactNode, StrictMode } from 'react';
import { afterEach, vi } from 'vitest';
import type { FetchTokenSource } from '../../src/index';
import { HubSpotChatProvider, type HubSpotChatProviderProps } from '../../src/react/index';
import { type InstalledStandIn, installHubSpotStandIn } from '../../src/testing/index';

// Updates outside act() are reported by React, so a test that forgets one fails loudly.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

export interface ReactHarness {
  standIn: InstalledStandIn;
  /** The app's backend: who its session says is signed in (null: nobody, answered with 401). */
  server: { user: string | null; requests: number };
  /** `fetchToken` answering as that backend would. */
  fetchToken: FetchTokenSource['fetchToken'];
  /** Lets `ms` of fake time pass inside act(). */
  advance: (ms?: number) => Promise<void>;
  /** What HubSpot's console said (the stand-in warns as HubSpot does, e.g. of a duplicate instance). */
  warnings: () => string[];
}

/** The real setTimeout, kept before any test fakes it. */
const realSetTimeout = globalThis.setTimeout;
/** Waits one real macrotask, whatever the fake timers do. */
export const realMacrotask = () => new Promise<void>((resolve) => realSetTimeout(resolve, 0));

const cleanups: Array<() => void> = [];
let tests = 0;
afterEach(async () => {
  cleanup(); // unmounts whatever a test left mounted
  if (vi.isFakeTimers()) {
    await act(async () => {
      await vi.advanceTimersByTimeAsync(0); // the providers' deferred destroy()
    });
  }
  for (const clean of cleanups.splice(0)) clean();
  vi.restoreAllMocks();
  vi.useRealTimers();
});

export const email = (user: string) => `${user}@example.com`;

export function setUp(): ReactHarness {
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
      await act(async () => {
        await vi.advanceTimersByTimeAsync(ms);
      });
    },
    warnings: () => warn.mock.calls.map((call) => String(call[0])),
  };
}

/** `<StrictMode>{node}</StrictMode>`. */
export const strict = (node: ReactNode) => createElement(StrictMode, null, node);

/** `<HubSpotChatProvider {...props}>{children}</HubSpotChatProvider>`. */
export const provider = (props: HubSpotChatProviderProps, ...children: ReactNode[]) =>
  createElement(HubSpotChatProvider, props, ...children);
