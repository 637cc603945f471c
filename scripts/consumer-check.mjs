// Proves the package works as published: `npm pack`, install the tarball into a fresh project,
// then type-check (node16 and bundler resolution) and bundle a small app that uses it, require and
// import it in Node without touching any global (SSR). The app's bundle is held to issue 15's ESM
// ceiling (figure, ceiling and headroom printed) and must hold no launcher code.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ESM_APP_CEILING_BYTES, gzipSize, sizeLine } from './size.mjs';

/** Only the launcher has this string: its default aria-label. */
const LAUNCHER_MARKER = 'Chat with us';

const repo = resolve(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'hvc-consumer-'));
function run(cmd, args, cwd = dir) {
  try {
    return execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  } catch (error) {
    process.stdout.write(error.stdout ?? '');
    throw new Error(`consumer check failed: ${cmd} ${args.join(' ')}`);
  }
}
try {
  run('npm', ['pack', '--silent', '--pack-destination', dir], repo);
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  const listed = run('tar', ['-tzf', tarball]).split('\n').filter(Boolean);
  const unexpected = listed.filter(
    (f) => !/^package\/(dist\/|README\.md$|LICENSE$|CHANGELOG\.md$|package\.json$)/.test(f),
  );
  if (unexpected.length)
    throw new Error(
      `the package ships more than dist, README, LICENSE, CHANGELOG: ${unexpected.join(', ')}`,
    );
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  );
  run('npm', [
    'install',
    '--no-audit',
    '--no-fund',
    '--prefer-offline',
    '--silent',
    `./${tarball}`,
  ]);

  writeFileSync(
    join(dir, 'app.ts'),
    `import { createChat, ChatError, type ChatState, type Identity } from 'hubspot-visitor-chat';
const chat = createChat({ portalId: '1234567', tokenUrl: '/api/chat-token', widget: { hideNewThreadLink: true } });
const seen: ChatState[] = [];
chat.on('state', (state) => seen.push(state));
chat.on('conversationStarted', ({ conversation }) => console.log(conversation.conversationId));
export async function signIn(): Promise<Identity | null> {
  try { return await chat.login(); } catch (error) { if (error instanceof ChatError && error.code === 'TOKEN_HTTP') return null; throw error; }
}
export const signOut = () => chat.logout({ forgetVisitor: true });
`,
  );
  writeFileSync(
    join(dir, 'server.ts'),
    `import { createTokenHandler, jwtTokenMinter } from 'hubspot-visitor-chat/server';
import { installHubSpotStandIn } from 'hubspot-visitor-chat/testing';
export const POST = createTokenHandler({ getVisitor: () => null, mint: jwtTokenMinter({ secret: 'x'.repeat(32) }) });
export const install = installHubSpotStandIn;
`,
  );
  const tsc = join(repo, 'node_modules/typescript/bin/tsc');
  for (const [module, resolution] of [
    ['node16', 'node16'],
    ['esnext', 'bundler'],
  ]) {
    run('node', [
      tsc,
      '--noEmit',
      '--strict',
      '--module',
      module,
      '--moduleResolution',
      resolution,
      '--target',
      'es2022',
      '--lib',
      'es2022,dom',
      'app.ts',
      'server.ts',
    ]);
    console.log(`consumer: app type-checks with moduleResolution ${resolution}`);
  }

  writeFileSync(
    join(dir, 'app.mjs'),
    `import { createChat } from 'hubspot-visitor-chat';\nexport const chat = createChat({ portalId: '1', tokenUrl: '/t' });\n`,
  );
  const rollup = (input, output) => {
    writeFileSync(
      join(dir, 'rollup.config.mjs'),
      `import nodeResolve from '${join(repo, 'node_modules/@rollup/plugin-node-resolve/dist/es/index.js')}';
import terser from '${join(repo, 'node_modules/@rollup/plugin-terser/dist/es/index.js')}';
export default { input: '${input}', plugins: [nodeResolve({ browser: true })], output: { file: '${output}', format: 'es', plugins: [terser()] } };
`,
    );
    run('node', [join(repo, 'node_modules/rollup/dist/bin/rollup'), '-c', '--silent']);
    return readFileSync(join(dir, output), 'utf8');
  };
  const bundle = rollup('app.mjs', 'bundle.min.js');
  const bundled = gzipSize(bundle);
  console.log(
    `consumer: ESM app importing only createChat, bundled by rollup + terser: ${Buffer.byteLength(bundle)} B minified`,
  );
  console.log(`consumer: ${sizeLine('ESM app', bundled, ESM_APP_CEILING_BYTES)}`);
  if (bundled > ESM_APP_CEILING_BYTES) {
    throw new Error(`consumer bundle ${bundled} B > ${ESM_APP_CEILING_BYTES} B (issue 15)`);
  }

  // mountLauncher must cost an app that does not import it nothing (issue 15): its code must be
  // tree-shaken away. Until the package exports mountLauncher this passes trivially; once it does,
  // a second app that imports it proves the marker really is launcher code.
  if (bundle.includes(LAUNCHER_MARKER)) {
    throw new Error(`the createChat-only app ships launcher code ('${LAUNCHER_MARKER}')`);
  }
  const entry = readFileSync(join(dir, 'node_modules/hubspot-visitor-chat/dist/index.mjs'), 'utf8');
  if (/\bmountLauncher\b/.test(entry)) {
    writeFileSync(
      join(dir, 'launcher-app.mjs'),
      `export { createChat, mountLauncher } from 'hubspot-visitor-chat';\n`,
    );
    const withLauncher = rollup('launcher-app.mjs', 'launcher-bundle.min.js');
    if (!withLauncher.includes(LAUNCHER_MARKER)) {
      throw new Error(
        `an app importing mountLauncher lacks '${LAUNCHER_MARKER}': set LAUNCHER_MARKER in scripts/consumer-check.mjs to a string only the launcher has`,
      );
    }
    console.log(
      `consumer: mountLauncher costs the createChat-only app nothing (importing it adds ${gzipSize(withLauncher) - bundled} B min+gzip)`,
    );
  } else {
    console.log(
      'consumer: no launcher code in the createChat-only app (the package exports no mountLauncher yet)',
    );
  }

  const ssr = `
    const before = new Set(Object.keys(globalThis));
    const check = (name, { createChat }) => {
      const chat = createChat({ portalId: '1', tokenUrl: '/t' });
      if (chat.state !== 'anonymous') throw new Error(name + ': state ' + chat.state);
      const added = Object.keys(globalThis).filter((k) => !before.has(k));
      if (added.length) throw new Error(name + ' touched globals: ' + added);
      console.log('consumer: ' + name + ' loads in Node and createChat() touches no global');
    };`;
  writeFileSync(
    join(dir, 'ssr.mjs'),
    `${ssr}\ncheck('import (ESM)', await import('hubspot-visitor-chat'));\n`,
  );
  writeFileSync(
    join(dir, 'ssr.cjs'),
    `${ssr}\ncheck('require (CJS)', require('hubspot-visitor-chat'));\n`,
  );
  process.stdout.write(run('node', ['ssr.mjs']));
  process.stdout.write(run('node', ['ssr.cjs']));
  console.log(
    `consumer: the tarball ships ${listed.length} files (dist, README, LICENSE, CHANGELOG)`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
