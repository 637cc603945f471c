// The example apps' e2e (`npm run test:examples`, and a step of `npm test`): for every folder of
// examples/, `npm ci` when its node_modules is missing, then `npm run build` with no secret in the
// environment; then one Playwright run of e2e/examples/ over them all
// (playwright.examples.config.ts). Expects the library's dist/ (the apps depend on it through
// `file:../..`). Prints how long each part took: this runs in CI on every push.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

// Nothing here may leave this machine: Next.js would send its anonymous telemetry (the Playwright
// run and the apps' servers inherit this).
process.env.NEXT_TELEMETRY_DISABLED = '1';

/**
 * What the apps build with: this environment less anything that looks like a secret, as in a CI
 * or Docker build without runtime secrets. HUBSPOT_PORTAL_ID is no secret: with it, the Next.js
 * app's token route (created at module scope, which `next build` imports) makes
 * `hubspotTokenMinter` while HUBSPOT_ACCESS_TOKEN is missing, which must not throw
 * (docs/backend.md, "Secrets at build time"). The app still starts offline: it reads
 * HUBSPOT_PORTAL_ID when it runs.
 */
const SECRET = /TOKEN|SECRET|PASSWORD|PRIVATE|CREDENTIAL|_KEY$|^HUBSPOT_/i;
const buildEnv = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !SECRET.test(name)),
);
buildEnv.HUBSPOT_PORTAL_ID = '1234567';
const scrubbed = Object.keys(process.env).filter((name) => !(name in buildEnv));
console.log(`builds run without: ${scrubbed.join(', ') || '(nothing to remove)'}`);

const apps = readdirSync('examples', { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(`examples/${entry.name}/package.json`))
  .map((entry) => `examples/${entry.name}`);

/**
 * What in `lockfile` could come from anywhere but the public registry or the library itself
 * (`file:../..`): a git, tarball or other-registry URL, a link elsewhere, an entry without an
 * integrity hash.
 */
function foreignSources(lockfile) {
  const { packages } = JSON.parse(readFileSync(lockfile, 'utf8'));
  return Object.entries(packages)
    .filter(([path, entry]) => {
      if (path === '' || path === '../..') return false; // the app, and the library's folder
      if (entry.link) return entry.resolved !== '../..';
      const fromRegistry =
        entry.resolved === undefined || entry.resolved.startsWith('https://registry.npmjs.org/');
      return !path.startsWith('node_modules/') || !fromRegistry || !entry.integrity;
    })
    .map(([path, entry]) => `${path} (${entry.resolved ?? 'no integrity'})`);
}

const timings = [];
function step(name, command, args, cwd = '.', env = process.env) {
  const started = Date.now();
  console.log(`\n::: ${name}: ${command} ${args.join(' ')} (in ${cwd})`);
  const { status } = spawnSync(command, args, { cwd, env, stdio: 'inherit' });
  timings.push(`${name}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return status === 0;
}

function report() {
  console.log(`\nexamples timings:\n  ${timings.join('\n  ')}`);
}

for (const app of apps) {
  const foreign = foreignSources(`${app}/package-lock.json`);
  if (foreign.length > 0) {
    console.error(`${app}/package-lock.json: not from the registry nor file:../..:`, foreign);
    process.exit(1);
  }
  const installed =
    existsSync(`${app}/node_modules`) ||
    step(`${app} install`, 'npm', ['ci', '--no-audit', '--no-fund'], app);
  const built =
    installed &&
    step(`${app} build, no secrets`, 'npm', ['run', '--silent', 'build'], app, buildEnv);
  if (!built) {
    report();
    process.exit(1);
  }
}
const ok = step('examples e2e', 'npx', [
  'playwright',
  'test',
  '-c',
  'playwright.examples.config.ts',
  ...process.argv.slice(2),
]);
report();
process.exit(ok ? 0 : 1);
