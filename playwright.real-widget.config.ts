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
  // The scenarios mostly wait for HubSpot's timers (display delays, its throttle), not the CPU.
  workers: 4,
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
