// Builds the React page of the real-embed scenarios (./app.tsx) into e2e/real-widget/build/
// react-app.js, one classic script, as demo/rollup.config.mjs builds the demo: this package from
// dist/ (scripts/rollup-this-package.mjs), React 19 from node_modules, its production build.
// scripts/real-widget.mjs runs it before Playwright; run `npm run build` first.
import { fileURLToPath } from 'node:url';
import commonjs from '@rollup/plugin-commonjs';
import nodeResolve from '@rollup/plugin-node-resolve';
import replace from '@rollup/plugin-replace';
import typescript from '@rollup/plugin-typescript';
import { thisPackage } from '../../../scripts/rollup-this-package.mjs';

export default {
  input: fileURLToPath(new URL('app.tsx', import.meta.url)),
  output: {
    file: fileURLToPath(new URL('../build/react-app.js', import.meta.url)),
    format: 'iife',
  },
  plugins: [
    thisPackage(),
    replace({
      preventAssignment: true,
      values: { 'process.env.NODE_ENV': JSON.stringify('production') },
    }),
    nodeResolve({ browser: true, extensions: ['.mjs', '.js', '.ts', '.tsx'] }),
    commonjs(),
    typescript({ tsconfig: fileURLToPath(new URL('tsconfig.json', import.meta.url)) }),
  ],
  onwarn(warning, warn) {
    // dist/react starts with 'use client', which means nothing to a browser bundle.
    if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
    warn(warning);
  },
};
