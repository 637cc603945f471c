// Proves the package works as published: `npm pack`, install the tarball into a fresh project,
// then type-check (node16 and bundler resolution) and bundle a small app that uses it, require and
// import it in Node without touching any global (SSR). The app's bundle is held to issue 15's ESM
// ceiling (figure, ceiling and headroom printed) and must hold no launcher code.
// `hubspot-visitor-chat/react` (issue 14): a throwaway React 19 app is type-checked (bundler and
// node16), bundled by rollup (one copy of the chat beside React) and server-rendered in Node; a
// second throwaway app with React 18 (which cannot share an install with 19) server-renders the
// StrictMode scenario and hydrates it in happy-dom against the HubSpot stand-in.
// `hubspot-visitor-chat/vue` (issue 22): a throwaway Vue 3 app (render functions, no SFC) is
// type-checked (node16), bundled by rollup (one copy of the chat beside Vue) and server-rendered in
// Node with vue/server-renderer.
// Issue 21: every TypeScript example of README.md and docs/ compiles against the tarball under
// @tsconfig/strictest (scripts/doc-snippets.mjs), beside the strict cases the issue names.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { checkDocSnippets, SNIPPET_PACKAGES } from './doc-snippets.mjs';
import { ESM_APP_CEILING_BYTES, gzipSize, sizeLine } from './size.mjs';

/** Only the launcher has this string: its default aria-label. */
const LAUNCHER_MARKER = 'Chat with us';
/** A string only the core chat has (its DESTROYED message): a second copy of the core shows twice. */
const CORE_MARKER = 'The chat was destroyed';
/** What both apps' `Status` component renders, as a JS expression over its hooks' values. */
const STATUS_TEXT = "'chat: ' + state + ' ' + (identity?.email ?? 'nobody') + ' ' + unread";

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
  // The README tells `<script>` sites to copy a UMD file and its map into one folder (issue 21):
  // the map ships beside it, under the name its sourceMappingURL gives, and holds the sources.
  const installed = join(dir, 'node_modules/hubspot-visitor-chat/dist');
  for (const umd of [
    'hubspot-visitor-chat.umd.min.js',
    'hubspot-visitor-chat.launcher.umd.min.js',
  ]) {
    const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(
      readFileSync(join(installed, umd), 'utf8'),
    )?.[1];
    if (url !== `${umd}.map`) throw new Error(`dist/${umd} names its map ${url}, not ${umd}.map`);
    const map = JSON.parse(readFileSync(join(installed, url), 'utf8'));
    const missing = map.sources.filter((_, i) => typeof map.sourcesContent?.[i] !== 'string');
    if (missing.length) throw new Error(`dist/${url} lacks the sources of ${missing.join(', ')}`);
  }
  console.log(
    'consumer: each UMD file ships with the map its sourceMappingURL names, sources inside',
  );

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
  checkReact19(tarball);
  checkReact18(join(dir, tarball));
  checkVue(tarball);
  checkExamples();
  console.log(
    `consumer: the tarball ships ${listed.length} files (dist, README, LICENSE, CHANGELOG)`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// ---- hubspot-visitor-chat/react (issue 14) ----

/** The installed version of a repo dev dependency, so the throwaway install hits npm's cache. */
function devVersion(name) {
  return JSON.parse(readFileSync(join(repo, 'node_modules', name, 'package.json'), 'utf8')).version;
}
/** A rollup plugin of the repo's, by path: the throwaway apps install none. */
function plugin(name) {
  return join(repo, 'node_modules/@rollup', name, 'dist/es/index.js');
}
/** React 19: type-check a TSX app (node16; bundler resolution reads the same .d.mts), bundle it, server-render it in Node. */
function checkReact19(tarball) {
  run('npm', [
    'install',
    '--no-audit',
    '--no-fund',
    '--prefer-offline',
    '--silent',
    `./${tarball}`,
    ...['react', 'react-dom', '@types/react', '@types/react-dom'].map(
      (name) => `${name}@${devVersion(name)}`,
    ),
  ]);
  for (const file of ['index.mjs', 'index.cjs']) {
    const code = readFileSync(
      join(dir, 'node_modules/hubspot-visitor-chat/dist/react', file),
      'utf8',
    );
    if (!code.startsWith("'use client';")) {
      throw new Error(`dist/react/${file} does not start with 'use client'`);
    }
    if (code.includes(CORE_MARKER)) throw new Error(`dist/react/${file} bundles the core`);
  }
  console.log("consumer: dist/react/index.{mjs,cjs} start with 'use client' and import the core");

  mkdirSync(join(dir, 'react-app'));
  writeFileSync(
    join(dir, 'react-app/app.tsx'),
    `import { type ChatError, createChat, loadOnInteraction } from 'hubspot-visitor-chat';
import {
  ChatLauncher, type ChatStateSnapshot, type HubSpotChatApi, HubSpotChatProvider, type HubSpotChatProviderProps,
  useChatEvent, useChatPageView, useChatState, useHubSpotChat, useUnreadCount,
} from 'hubspot-visitor-chat/react';
import { StrictMode } from 'react';

function Status({ path }: { path: string }) {
  const { state, identity }: ChatStateSnapshot = useChatState();
  const unread: number = useUnreadCount();
  const { open, logout }: HubSpotChatApi = useHubSpotChat();
  useChatEvent('conversationStarted', ({ conversation }) => console.log(conversation.conversationId));
  useChatEvent('state', (next, previous) => console.log(previous, next));
  useChatPageView(path);
  return (
    <p>
      {${STATUS_TEXT}}
      <button type="button" onClick={open}>Open</button>
      <button type="button" onClick={() => void logout({ forgetVisitor: true })}>Sign out</button>
    </p>
  );
}

export function App({ user, path }: { user: string | null; path: string }) {
  return (
    <StrictMode>
      <HubSpotChatProvider portalId="1234567" tokenUrl="/api/chat-token" signedIn={user ?? false}
        consent="granted" load={loadOnInteraction} onError={(error: ChatError) => console.warn(error.code)}>
        <ChatLauncher position="left" label="Chat" />
        <Status path={path} />
      </HubSpotChatProvider>
    </StrictMode>
  );
}

const existing = createChat({ portalId: '1234567', fetchToken: async () => ({ email: 'a@example.com', token: 't' }) });
export const WithExisting = () => <HubSpotChatProvider chat={existing}><Status path="/" /></HubSpotChatProvider>;
const props: HubSpotChatProviderProps = { portalId: '1', tokenUrl: '/t' };
export const FromProps = () => <HubSpotChatProvider {...props} />;
// @ts-expect-error -- options are not accepted beside chat={existing}
export const Both = () => <HubSpotChatProvider chat={existing} portalId="1" />;
// @ts-expect-error -- tokenUrl or fetchToken is required
export const Neither = () => <HubSpotChatProvider portalId="1" />;
`,
  );
  writeFileSync(
    join(dir, 'react-app/client.tsx'),
    `import { createRoot } from 'react-dom/client';
import { App } from './app.js';

const root = document.getElementById('root');
if (root) createRoot(root).render(<App user={null} path={location.pathname} />);
`,
  );
  writeFileSync(
    join(dir, 'react-app/server.tsx'),
    `import { renderToString } from 'react-dom/server';
import { App } from './app.js';

export const render = (user: string | null) => renderToString(<App user={user} path="/pricing" />);
`,
  );
  const tsc = join(repo, 'node_modules/typescript/bin/tsc');
  const files = ['react-app/app.tsx', 'react-app/client.tsx', 'react-app/server.tsx'];
  const common = ['--strict', '--jsx', 'react-jsx', '--target', 'es2022', '--lib', 'es2022,dom'];
  // node16 is the strict resolution (exports map, .js extensions); bundler resolution reads the
  // same dist/react/index.d.mts through the same `import` condition, so one run covers both.
  run('node', [
    tsc,
    '--module',
    'node16',
    '--moduleResolution',
    'node16',
    '--outDir',
    'react-out',
    ...common,
    ...files,
  ]);
  console.log('consumer: React 19 TSX app type-checks (moduleResolution node16) and compiles');

  writeFileSync(
    join(dir, 'rollup.react.config.mjs'),
    `import commonjs from '${plugin('plugin-commonjs')}';
import nodeResolve from '${plugin('plugin-node-resolve')}';
import replace from '${plugin('plugin-replace')}';
export default {
  input: 'react-out/client.js',
  plugins: [
    replace({ preventAssignment: true, values: { 'process.env.NODE_ENV': '"production"' } }),
    nodeResolve({ browser: true }),
    commonjs(),
  ],
  output: { file: 'react-bundle.js', format: 'es' }, // not minified: only what it holds matters
  // 'use client' means nothing inside an app's bundle; rollup says so.
  onwarn: (warning, warn) => warning.code !== 'MODULE_LEVEL_DIRECTIVE' && warn(warning),
};
`,
  );
  run('node', [
    join(repo, 'node_modules/rollup/dist/bin/rollup'),
    '-c',
    'rollup.react.config.mjs',
    '--silent',
  ]);
  const bundle = readFileSync(join(dir, 'react-bundle.js'), 'utf8');
  const copies = bundle.split(CORE_MARKER).length - 1;
  if (copies !== 1) {
    throw new Error(`the React app bundle holds ${copies} copies of the core chat, not one`);
  }
  console.log('consumer: React 19 app bundles with rollup (React inside), one copy of the chat');

  writeFileSync(
    join(dir, 'react-ssr.mjs'),
    `if ('window' in globalThis) throw new Error('window exists');
const { render } = await import('./react-out/server.js');
for (const user of [null, 'u1']) {
  const html = render(user);
  if (!html.includes('chat: anonymous nobody 0')) throw new Error('server render: ' + html);
}
const cjs = (await import('node:module')).createRequire(import.meta.url)('hubspot-visitor-chat/react');
if (typeof cjs.HubSpotChatProvider !== 'function') throw new Error('require of hubspot-visitor-chat/react');
console.log('consumer: React 19 app server-renders in Node (renderToString, no window); require() loads the React entry');
`,
  );
  process.stdout.write(run('node', ['react-ssr.mjs']));
}

/**
 * React 18, in its own throwaway app (react-dom 18 peers react ^18: it cannot share an install with
 * 19): server-render the StrictMode scenario without window, then hydrate it in happy-dom against
 * the HubSpot stand-in: one loader, one token request, one identified load; after unmount and a
 * macrotask, no widget and no HubSpot listener.
 */
function checkReact18(tarballPath) {
  const app = mkdtempSync(join(tmpdir(), 'hvc-react18-'));
  try {
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({ name: 'react18-consumer', private: true, type: 'module' }),
    );
    run(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        '--silent',
        tarballPath,
        'react@18',
        'react-dom@18',
      ],
      app,
    );
    const happyDom = join(repo, 'node_modules/happy-dom/lib/index.js');
    writeFileSync(
      join(app, 'scenario.mjs'),
      `import { createElement, StrictMode, version } from 'react';
import { hydrateRoot } from 'react-dom/client';
import { renderToString } from 'react-dom/server';
import { HubSpotChatProvider, useChatState, useUnreadCount } from 'hubspot-visitor-chat/react';

const fail = (message) => { throw new Error('React ' + version + ': ' + message); };
function Status() {
  const { state, identity } = useChatState();
  const unread = useUnreadCount();
  return createElement('p', null, ${STATUS_TEXT});
}
const tree = (fetchToken) => createElement(StrictMode, null,
  createElement(HubSpotChatProvider, { portalId: '1234567', fetchToken, signedIn: 'u1' }, createElement(Status)));

if ('window' in globalThis) fail('window exists before the server render');
const html = renderToString(tree(async () => fail('a token request on the server')));
if (!html.includes('chat: anonymous nobody 0')) fail('server render: ' + html);
console.log('consumer: React ' + version + ' server-renders the provider without window');

const { Window } = await import(${JSON.stringify(happyDom)});
const window = new Window({ url: 'https://www.example.com/account',
  settings: { disableJavaScriptFileLoading: true, handleDisabledFileLoadingAsSuccess: true } });
for (const key of Object.getOwnPropertyNames(window)) {
  if (!(key in globalThis)) Object.defineProperty(globalThis, key, { value: window[key], configurable: true, writable: true });
}
const { installHubSpotStandIn } = await import('hubspot-visitor-chat/testing');
const { fake, uninstall } = installHubSpotStandIn();
const said = [];
for (const level of ['error', 'warn']) console[level] = (...args) => said.push(level + ': ' + args.join(' '));
let requests = 0;
const fetchToken = async () => { requests++; return { email: 'u1@example.com', token: fake.issueToken('u1@example.com') }; };
const container = document.createElement('div');
container.innerHTML = html;
document.body.append(container);
const root = hydrateRoot(container, tree(fetchToken), { onRecoverableError: (error) => said.push('recoverable: ' + error) });
const until = async (done, what) => {
  for (const start = Date.now(); !done(); await new Promise((resolve) => setTimeout(resolve, 20))) {
    if (Date.now() - start > 10_000) fail('timed out waiting for ' + what + '; page says ' + container.textContent);
  }
};
await until(() => container.textContent.includes('chat: authenticated u1@example.com 0') && fake.state().loaded, 'the identified widget');
const loaders = document.querySelectorAll('script#hs-script-loader').length;
const shells = fake.state().shells.map((shell) => shell.email);
if (loaders !== 1 || requests !== 1 || shells.join() !== 'u1@example.com' || !fake.state().identity.identified) {
  fail('StrictMode: ' + JSON.stringify({ loaders, requests, shells }));
}
root.unmount();
await new Promise((resolve) => setTimeout(resolve, 0));
if (fake.state().loaded || Object.keys(fake.state().listenerCounts).length) {
  fail('after unmount: ' + JSON.stringify(fake.state()));
}
if (said.length) fail('console: ' + said.join('; '));
console.log('consumer: React ' + version + ' StrictMode hydration in happy-dom: 1 loader, 1 token request, 1 identified load, no mismatch; after unmount + 1 macrotask no widget, no HubSpot listener');
uninstall();
await window.happyDOM.close();
process.exit(0);
`,
    );
    process.stdout.write(run('node', ['scenario.mjs'], app));
  } finally {
    rmSync(app, { recursive: true, force: true });
  }
}

// ---- README.md and docs/ under @tsconfig/strictest (issue 21) ----

/** After checkVue: the tarball, React, Vue and @types/node are installed in `dir`. */
function checkExamples() {
  run('npm', [
    'install',
    '--no-audit',
    '--no-fund',
    '--prefer-offline',
    '--silent',
    ...SNIPPET_PACKAGES.map((name) => `${name}@${devVersion(name)}`),
  ]);
  const tsc = join(repo, 'node_modules/typescript/bin/tsc');
  const { examples, pages } = checkDocSnippets({ repo, dir, tsc });
  console.log(
    `consumer: ${examples} TypeScript examples of README.md and docs/ (${pages} pages) and issue 21's strict cases compile under @tsconfig/strictest`,
  );
}

// ---- hubspot-visitor-chat/vue (issue 22) ----

/** Vue: type-check an app written with render functions (node16), bundle it, server-render it in Node. */
function checkVue(tarball) {
  run('npm', [
    'install',
    '--no-audit',
    '--no-fund',
    '--prefer-offline',
    '--silent',
    `./${tarball}`,
    `vue@${devVersion('vue')}`,
    `@types/node@${devVersion('@types/node')}`, // vue/server-renderer's types name node:stream
  ]);
  for (const file of ['index.mjs', 'index.cjs']) {
    const code = readFileSync(
      join(dir, 'node_modules/hubspot-visitor-chat/dist/vue', file),
      'utf8',
    );
    if (code.includes(CORE_MARKER)) throw new Error(`dist/vue/${file} bundles the core`);
  }
  console.log('consumer: dist/vue/index.{mjs,cjs} import the core');

  mkdirSync(join(dir, 'vue-app'));
  writeFileSync(
    join(dir, 'vue-app/app.ts'),
    `import { type ChatError, createChat, loadOnInteraction } from 'hubspot-visitor-chat';
import {
  ChatLauncher, type ChatStateRefs, createHubSpotChat, type HubSpotChatApi, type HubSpotChatPlugin,
  HubSpotChatProvider, type HubSpotChatProviderProps, useChatEvent, useChatPageView, useChatState,
  useHubSpotChat, useUnreadCount,
} from 'hubspot-visitor-chat/vue';
import { defineComponent, h, type Ref } from 'vue';

const Status = defineComponent((props: { path: string }) => {
  const { state, identity, loaded }: ChatStateRefs = useChatState();
  const unread: Readonly<Ref<number>> = useUnreadCount();
  const { open, logout }: HubSpotChatApi = useHubSpotChat();
  useChatEvent('conversationStarted', ({ conversation }) => console.log(conversation.conversationId));
  useChatEvent('state', (next, previous) => console.log(previous, next));
  useChatPageView(() => props.path);
  return () => h('p', [
    'chat: ' + state.value + ' ' + (identity.value?.email ?? 'nobody') + ' ' + unread.value + ' ' + loaded.value,
    h('button', { type: 'button', onClick: open }, 'Open'),
    h('button', { type: 'button', onClick: () => void logout({ forgetVisitor: true }) }, 'Sign out'),
  ]);
}, { props: ['path'] });

export const App = defineComponent((props: { user: string | null; path: string }) => () =>
  h(HubSpotChatProvider, {
    portalId: '1234567', tokenUrl: '/api/chat-token', signedIn: props.user ?? false, consent: 'granted',
    load: loadOnInteraction, onError: (error: ChatError) => console.warn(error.code),
  }, () => [h(ChatLauncher, { position: 'left', label: 'Chat' }), h(Status, { path: props.path })]),
  { props: ['user', 'path'] });

const existing = createChat({ portalId: '1234567', fetchToken: async () => ({ email: 'a@example.com', token: 't' }) });
export const WithExisting = () => h(HubSpotChatProvider, { chat: existing }, () => h(Status, { path: '/' }));
const props: HubSpotChatProviderProps = { portalId: '1', tokenUrl: '/t' };
export const FromProps = () => h(HubSpotChatProvider, props);
// @ts-expect-error -- options are not accepted beside chat
const both: HubSpotChatProviderProps = { chat: existing, portalId: '1' };
// @ts-expect-error -- tokenUrl or fetchToken is required
const neither: HubSpotChatProviderProps = { portalId: '1' };
export const plugin: HubSpotChatPlugin = createHubSpotChat({ portalId: '1234567', tokenUrl: '/api/chat-token' });
export { both, neither };
`,
  );
  writeFileSync(
    join(dir, 'vue-app/client.ts'),
    `import { createSSRApp, h } from 'vue';
import { App } from './app.js';

createSSRApp(() => h(App, { user: null, path: location.pathname })).mount('#app');
`,
  );
  writeFileSync(
    join(dir, 'vue-app/server.ts'),
    `import { createSSRApp, h } from 'vue';
import { renderToString } from 'vue/server-renderer';
import { App, plugin } from './app.js';

export const render = (user: string | null) =>
  renderToString(createSSRApp(() => h(App, { user, path: '/pricing' })).use(plugin));
`,
  );
  const tsc = join(repo, 'node_modules/typescript/bin/tsc');
  const files = ['vue-app/app.ts', 'vue-app/client.ts', 'vue-app/server.ts'];
  // As for React: node16 is the strict resolution; bundler resolution reads the same .d.mts.
  run('node', [
    tsc,
    '--module',
    'node16',
    '--moduleResolution',
    'node16',
    '--outDir',
    'vue-out',
    '--strict',
    '--target',
    'es2022',
    '--lib',
    'es2022,dom',
    ...files,
  ]);
  console.log(
    'consumer: Vue 3 app (render functions) type-checks (moduleResolution node16) and compiles',
  );

  writeFileSync(
    join(dir, 'rollup.vue.config.mjs'),
    `import nodeResolve from '${plugin('plugin-node-resolve')}';
import replace from '${plugin('plugin-replace')}';
export default {
  input: 'vue-out/client.js',
  plugins: [
    // Vue's esm-bundler build reads these, as Vite defines them.
    replace({ preventAssignment: true, values: { 'process.env.NODE_ENV': '"production"',
      __VUE_OPTIONS_API__: 'true', __VUE_PROD_DEVTOOLS__: 'false', __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false' } }),
    nodeResolve({ browser: true }),
  ],
  output: { file: 'vue-bundle.js', format: 'es' }, // not minified: only what it holds matters
};
`,
  );
  run('node', [
    join(repo, 'node_modules/rollup/dist/bin/rollup'),
    '-c',
    'rollup.vue.config.mjs',
    '--silent',
  ]);
  const bundle = readFileSync(join(dir, 'vue-bundle.js'), 'utf8');
  const copies = bundle.split(CORE_MARKER).length - 1;
  if (copies !== 1) {
    throw new Error(`the Vue app bundle holds ${copies} copies of the core chat, not one`);
  }
  if (!bundle.includes('createSSRApp')) throw new Error('the Vue app bundle lacks Vue');
  console.log('consumer: Vue 3 app bundles with rollup (Vue inside), one copy of the chat');

  writeFileSync(
    join(dir, 'vue-ssr.mjs'),
    `if ('window' in globalThis) throw new Error('window exists');
const { render } = await import('./vue-out/server.js');
for (const user of [null, 'u1']) {
  const html = await render(user);
  if (!html.includes('chat: anonymous nobody 0 false')) throw new Error('server render: ' + html);
}
const cjs = (await import('node:module')).createRequire(import.meta.url)('hubspot-visitor-chat/vue');
if (typeof cjs.createHubSpotChat !== 'function') throw new Error('require of hubspot-visitor-chat/vue');
console.log('consumer: Vue 3 app server-renders in Node (vue/server-renderer, no window, plugin installed); require() loads the Vue entry');
`,
  );
  process.stdout.write(run('node', ['vue-ssr.mjs']));
}
