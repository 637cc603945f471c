import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import { dts } from 'rollup-plugin-dts';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
// ESM/CJS: dependencies stay external (the consumer's bundler dedupes them); UMD: inlined.
const external = Object.keys(pkg.dependencies ?? {});
const ts = (options = {}) => typescript({ tsconfig: './tsconfig.build.json', ...options });
/**
 * The UMD files are copied onto sites with their maps (README): those maps carry the sources, so
 * that a browser's devtools show them without this repository's src/.
 */
const tsWithSources = () => ts({ inlineSources: true });

/**
 * Issue 19: property names that live only inside one chat's code, shortened by terser in the files
 * consumers get (the UMD files and the core's ESM/CJS entry). Only names that never cross the
 * public API or HubSpot's (no option, event, `Chat` member, HubSpot setting or API member, token
 * response field) and that no other copy or entry reads; each file is self-contained, so a name
 * may be shortened differently in each. Add a name only under the same conditions.
 */
const INTERNAL_PROPERTIES =
  /^(forgetEpoch|supersede|isCurrent|onUnavailable|quiet|retryAfterMs|listened|triggered|actual|promise|fallback|hold|instance|shown|visible|allowed|reconcile|dropShow|writeIdentity|onChange|onEvent|current|finish|post|request|cancel|ready|settings|target|previous|effects|model|removed|wanted|reload|generation|heldToken|wake|readyMs|marginMs|requestInit|attemptMs|controller|log|ownFetchToken|tokenEndpoint|maxRetries|drives|started|reason)$/;
// `builtins`: also the names of the list that are DOM properties too (`visible`, `request`, …);
// the code using them never reads those on DOM objects.
const mangleInternal = { properties: { regex: INTERNAL_PROPERTIES, builtins: true } };
/**
 * The ESM/CJS entry stays readable (formatted, comments and annotations kept, top-level and class
 * names kept for `ChatError.name`) and is compressed already: an app's bundler minifies it again
 * from a smaller start (an app importing only `createChat` ships 49 B less than from uncompressed
 * code, docs/performance.md). The internal property names are shortened, and the local variables
 * terser renames with them. `unsafe_arrows` and `pure_getters` hold for this code: no function
 * expression uses `this`, `arguments` or `new`, and no property is read for a side effect.
 */
const shortenInternal = () =>
  terser({
    compress: { passes: 2, unsafe_arrows: true, pure_getters: true },
    module: false,
    toplevel: false,
    keep_classnames: true,
    keep_fnames: true,
    mangle: mangleInternal,
    format: { beautify: true, comments: 'all', preserve_annotations: true },
  });
const node = () => nodeResolve({ browser: true });

/**
 * `hubspot-visitor-chat/react` and `/vue` import the core as the package itself: their `../index`
 * imports become `import … from 'hubspot-visitor-chat'`, so an app holds one chat implementation
 * (the core entry it imports too), never a second copy inside an adapter's entry. React and Vue
 * stay the app's.
 */
const core = resolve('src/index');
const coreAsPackage = () => ({
  name: 'core-as-package',
  resolveId(source, importer) {
    if (importer && source.startsWith('.') && resolve(dirname(importer), source) === core) {
      return { id: pkg.name, external: true };
    }
    return null;
  },
});
const reactExternal = (id) => /^react(-dom)?($|\/)/.test(id) || external.includes(id);
const vueExternal = (id) => id === 'vue' || external.includes(id);

const library = (input, dir, outputPlugins = []) => [
  {
    input,
    external,
    plugins: [node(), ts()],
    output: [
      { file: `${dir}/index.mjs`, format: 'es', sourcemap: true, plugins: outputPlugins },
      {
        file: `${dir}/index.cjs`,
        format: 'cjs',
        sourcemap: true,
        exports: 'named',
        plugins: outputPlugins,
      },
    ],
  },
  {
    input,
    external,
    plugins: [dts({ tsconfig: './tsconfig.build.json' })],
    output: [
      { file: `${dir}/index.d.mts`, format: 'es' },
      { file: `${dir}/index.d.cts`, format: 'es' },
    ],
  },
];

export default [
  ...library('src/index.ts', 'dist', [shortenInternal()]),
  {
    input: 'src/umd.ts',
    plugins: [node(), tsWithSources()],
    output: {
      file: 'dist/hubspot-visitor-chat.umd.min.js',
      format: 'umd',
      name: 'HubSpotVisitorChat',
      sourcemap: true,
      plugins: [terser({ compress: { passes: 2 }, mangle: mangleInternal })],
    },
  },
  // The launcher for `<script>` pages, in its own file: it adds `mountLauncher` to the global the
  // main UMD file defines (`extend`), so pages without the launcher do not download it (issue 19).
  {
    input: 'src/umd-launcher.ts',
    plugins: [node(), tsWithSources()],
    output: {
      file: 'dist/hubspot-visitor-chat.launcher.umd.min.js',
      format: 'umd',
      name: 'HubSpotVisitorChat',
      extend: true,
      sourcemap: true,
      plugins: [terser({ compress: { passes: 2 }, mangle: mangleInternal })],
    },
  },
  ...library('src/testing/index.ts', 'dist/testing'),
  ...library('src/server/index.ts', 'dist/server'),
  {
    input: 'src/react/index.ts',
    external: reactExternal,
    plugins: [coreAsPackage(), node(), ts()],
    output: ['mjs', 'cjs'].map((ext) => ({
      file: `dist/react/index.${ext}`,
      format: ext === 'mjs' ? 'es' : 'cjs',
      exports: 'named',
      sourcemap: true,
      // Rollup drops module-level directives from the sources: the Next.js App Router needs this one.
      banner: "'use client';",
    })),
  },
  {
    input: 'src/react/index.ts',
    external: reactExternal,
    plugins: [coreAsPackage(), dts({ tsconfig: './tsconfig.build.json' })],
    output: [
      { file: 'dist/react/index.d.mts', format: 'es' },
      { file: 'dist/react/index.d.cts', format: 'es' },
    ],
  },
  // No 'use client' banner: that is React's; Nuxt and Vite SSR need none.
  {
    input: 'src/vue/index.ts',
    external: vueExternal,
    plugins: [coreAsPackage(), node(), ts()],
    output: ['mjs', 'cjs'].map((ext) => ({
      file: `dist/vue/index.${ext}`,
      format: ext === 'mjs' ? 'es' : 'cjs',
      exports: 'named',
      sourcemap: true,
    })),
  },
  {
    input: 'src/vue/index.ts',
    external: vueExternal,
    plugins: [coreAsPackage(), dts({ tsconfig: './tsconfig.build.json' })],
    output: [
      { file: 'dist/vue/index.d.mts', format: 'es' },
      { file: 'dist/vue/index.d.cts', format: 'es' },
    ],
  },
  {
    input: 'src/testing/browser.ts',
    plugins: [node(), ts()],
    output: { file: 'dist/testing/hubspot-stand-in.js', format: 'iife', sourcemap: true },
  },
];
