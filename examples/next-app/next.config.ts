import { fileURLToPath } from 'node:url';
import type { NextConfig } from 'next';

// Only for this example's local link to the library (`file:../..`, outside this folder): the
// bundler may read files up to the repository's root. An app that installs the library from npm
// does not need it.
const repository = fileURLToPath(new URL('../..', import.meta.url));

const config: NextConfig = {
  turbopack: { root: repository },
  outputFileTracingRoot: repository,
};

export default config;
