// `npm run test:real-widget`: the SDK on HubSpot's real embed, offline, one project per build found
// in HUBSPOT_EMBED_DIR (default ../shared/hubspot-embed). See docs/testing.md.
import { defineConfig, devices } from '@playwright/test';
import { embedBuilds } from './e2e/real-widget/offline-hubspot';
import { chromiumPath } from './scripts/chromium-path.mjs';

export default defineConfig({
  testDir: './e2e/real-widget',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  // Two, one per core: with four, the suite's own Chromium pages pushed the load to 21–23 on the
  // 2-core machine and two full runs had one timing failure each; with two, 217 passed in 11.6 min
  // (four: 10.8 min). The scenarios mostly wait for HubSpot's timers, not the CPU.
  workers: 2,
  timeout: 60_000,
  reporter: [['list']],
  use: { trace: 'retain-on-failure' },
  projects: embedBuilds().map((build) => ({
    name: build.name,
    metadata: { build },
    use: {
      ...devices['Desktop Chrome'],
      launchOptions: {
        executablePath: chromiumPath(),
        args: [
          // Nothing may leave the machine: every request is answered by the test's routes.
          '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      },
    },
  })),
});
