// `npm run test:real-widget`: the SDK on HubSpot's real embed (every build in HUBSPOT_EMBED_DIR,
// default ../shared/hubspot-embed), offline; see docs/testing.md. HubSpot's files never enter this
// repository. `--download` fetches the live embed and a loader into a temporary folder instead
// (for maintainers with internet). Without any embed it prints why it did not run and exits 2:
// a run that did not happen never counts as passed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const args = process.argv.slice(2);
const passOn = args.filter((a) => a !== '--download');

if (args.includes('--download')) {
  const dir = mkdtempSync(join(tmpdir(), 'hubspot-embed-'));
  // Any portal's loader will do: the tests replace its portal id with their own.
  const portal = process.env.HUBSPOT_LOADER_PORTAL ?? '47445192';
  const files = [
    ['https://js.usemessages.com/conversations-embed.js', 'conversations-embed.static-live.js'],
    [`https://js.hs-scripts.com/${portal}.js`, `hs-scripts-loader.${portal}.js`],
  ];
  for (const [url, name] of files) {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
    writeFileSync(join(dir, name), Buffer.from(await response.arrayBuffer()));
    console.log(`downloaded ${url} → ${join(dir, name)}`);
  }
  process.env.HUBSPOT_EMBED_DIR = dir;
}

const dir = process.env.HUBSPOT_EMBED_DIR ?? resolve('../shared/hubspot-embed');
const builds = existsSync(dir)
  ? readdirSync(dir).filter((f) => /^conversations-embed\..+\.js$/.test(f))
  : [];
if (builds.length === 0) {
  console.log(
    `real-widget: not run — no HubSpot embed in ${dir} (set HUBSPOT_EMBED_DIR, or use --download)`,
  );
  process.exit(2);
}
console.log(`real-widget: ${builds.length} build(s) from ${dir}: ${builds.join(', ')}`);
// The package, then the React page of the scenarios, which bundles it (e2e/real-widget/react-app).
for (const config of ['rollup.config.mjs', 'e2e/real-widget/react-app/rollup.config.mjs']) {
  const build = spawnSync('npx', ['rollup', '-c', config, '--silent'], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const run = spawnSync(
  'npx',
  ['playwright', 'test', '-c', 'playwright.real-widget.config.ts', ...passOn],
  { stdio: 'inherit', env: { ...process.env, HUBSPOT_EMBED_DIR: dir } },
);
process.exit(run.status ?? 1);
