import { createServer } from 'node:net';
import { defineConfig, devices } from '@playwright/test';
import { chromiumPath } from './scripts/chromium-path.mjs';

/** A free port, so the suite never collides with a demo someone is running. */
async function freePort(): Promise<number> {
  if (process.env.E2E_PORT) return Number(process.env.E2E_PORT);
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

const port = await freePort();
process.env.E2E_PORT = String(port); // workers re-read this config: keep the same port

export default defineConfig({
  testDir: './e2e',
  // HubSpot's real embed has its own run: npm run test:real-widget.
  testIgnore: ['real-widget/**', 'examples/**'],
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 2,
  reporter: [['list']],
  use: { baseURL: `http://127.0.0.1:${port}`, trace: 'retain-on-failure' },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          executablePath: chromiumPath(),
          args: [
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
    },
  ],
  webServer: {
    // The React demo's bundle first (from dist/, which `npm test` builds before e2e).
    command: 'npx rollup -c demo/rollup.config.mjs --silent && node demo/server.mjs',
    url: `http://127.0.0.1:${port}/api/config`,
    env: { PORT: String(port), DEMO_TOKEN_TTL_SECONDS: '3600' },
    reuseExistingServer: false,
    timeout: 120_000, // the demo build takes ~15 s on two cores
  },
});
