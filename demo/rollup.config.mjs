// Builds the demo's React app (demo/app/main.tsx) into demo/build/app.js, as a site would bundle
// it: `hubspot-visitor-chat` and `hubspot-visitor-chat/react` resolve to this package's build
// (dist/, through package.json "exports"), React and React Router from node_modules. The
// development build on purpose: only it runs StrictMode's double effects, which the e2e tests need.
// Run `npm run build` first.
import { fileURLToPath } from 'node:url';
import commonjs from '@rollup/plugin-commonjs';
import nodeResolve from '@rollup/plugin-node-resolve';
import replace from '@rollup/plugin-replace';
import typescript from '@rollup/plugin-typescript';
import { thisPackage } from '../scripts/rollup-this-package.mjs';

export default {
  input: fileURLToPath(new URL('app/main.tsx', import.meta.url)),
  output: {
    file: fileURLToPath(new URL('build/app.js', import.meta.url)),
    format: 'es',
    sourcemap: true,
  },
  plugins: [
    thisPackage(),
    replace({
      preventAssignment: true,
      values: { 'process.env.NODE_ENV': JSON.stringify('development') },
    }),
    nodeResolve({ browser: true, extensions: ['.mjs', '.js', '.ts', '.tsx'] }),
    commonjs(),
    typescript({ tsconfig: fileURLToPath(new URL('tsconfig.json', import.meta.url)) }),
  ],
  onwarn(warning, warn) {
    // React Router's modules start with 'use client', which means nothing to a browser bundle.
    if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
    warn(warning);
  },
};
