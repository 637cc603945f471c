// The example apps' e2e (`npm run test:examples`, and a step of `npm test`): for every folder of
// examples/, `npm ci` when its node_modules is missing, then `npm run build`; then one Playwright
// run of e2e/examples/ over them all (playwright.examples.config.ts). Expects the library's dist/
// (the apps depend on it through `file:../..`). Prints how long each part took: this runs in CI on
// every push.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const apps = readdirSync('examples', { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(`examples/${entry.name}/package.json`))
  .map((entry) => `examples/${entry.name}`);

const timings = [];
function step(name, command, args, cwd = '.') {
  const started = Date.now();
  console.log(`\n::: ${name}: ${command} ${args.join(' ')} (in ${cwd})`);
  const { status } = spawnSync(command, args, { cwd, stdio: 'inherit' });
  timings.push(`${name}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return status === 0;
}

function report() {
  console.log(`\nexamples timings:\n  ${timings.join('\n  ')}`);
}

for (const app of apps) {
  const installed =
    existsSync(`${app}/node_modules`) ||
    step(`${app} install`, 'npm', ['ci', '--no-audit', '--no-fund'], app);
  if (!installed || !step(`${app} build`, 'npm', ['run', '--silent', 'build'], app)) {
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
