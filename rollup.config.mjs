import { readFileSync } from 'node:fs';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import { dts } from 'rollup-plugin-dts';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
// ESM/CJS: dependencies stay external (the consumer's bundler dedupes them); UMD: inlined.
const external = Object.keys(pkg.dependencies ?? {});
const ts = () => typescript({ tsconfig: './tsconfig.build.json' });
const node = () => nodeResolve({ browser: true });

const library = (input, dir) => [
  {
    input,
    external,
    plugins: [node(), ts()],
    output: [
      { file: `${dir}/index.mjs`, format: 'es', sourcemap: true },
      { file: `${dir}/index.cjs`, format: 'cjs', sourcemap: true, exports: 'named' },
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
  ...library('src/index.ts', 'dist'),
  {
    input: 'src/umd.ts',
    plugins: [node(), ts()],
    output: {
      file: 'dist/hubspot-visitor-chat.umd.min.js',
      format: 'umd',
      name: 'HubSpotVisitorChat',
      sourcemap: true,
      plugins: [terser({ compress: { passes: 2 } })],
    },
  },
  ...library('src/testing/index.ts', 'dist/testing'),
  ...library('src/server/index.ts', 'dist/server'),
  {
    input: 'src/testing/browser.ts',
    plugins: [node(), ts()],
    output: { file: 'dist/testing/hubspot-stand-in.js', format: 'iife', sourcemap: true },
  },
];
