// `npx playwright test -c playwright.examples.config.ts`: e2e/examples/examples.spec.ts once per
// example app (one project each, every folder of examples/ with a package.json), against the
// app's own production server (`npm start`, serving the app and its token endpoint on PORT) on a
// free port. scripts/examples.mjs installs and builds the apps first (`npm run build`).
import { existsSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { defineConfig, devices } from '@playwright/test';
import { chromiumPath } from './scripts/chromium-path.mjs';

const EXAMPLE_APPS = readdirSync('examples', { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(`examples/${entry.name}/package.json`))
  .map((entry) => ({ name: entry.name, dir: `examples/${entry.name}` }));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

// Workers re-read this config: keep each app's port in the environment.
const apps = [];
for (const app of EXAMPLE_APPS) {
  const key = `EXAMPLE_PORT_${app.name.replace(/\W/g, '_').toUpperCase()}`;
  process.env[key] ??= String(await freePort());
  apps.push({ ...app, port: Number(process.env[key]) });
}

export default defineConfig({
  testDir: './e2e/examples',
  outputDir: 'test-results/examples', // Playwright empties it: keep the demo e2e's results
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 2,
  reporter: [['list']],
  use: { trace: 'retain-on-failure' },
  projects: apps.map((app) => ({
    name: app.name,
    use: {
      ...devices['Desktop Chrome'],
      baseURL: `http://127.0.0.1:${app.port}`,
      launchOptions: {
        executablePath: chromiumPath(),
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--disable-background-networking',
        ],
      },
    },
  })),
  webServer: apps.map((app) => ({
    command: 'npm start --silent',
    cwd: app.dir,
    url: `http://127.0.0.1:${app.port}/api/me`,
    env: { PORT: String(app.port), HOST: '127.0.0.1' },
    reuseExistingServer: false,
    timeout: 60_000,
  })),
});
