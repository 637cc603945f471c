// A rollup plugin for the bundles that use this package as a site would (demo/rollup.config.mjs,
// e2e/real-widget/react-app/rollup.config.mjs): `hubspot-visitor-chat[/sub]` resolves to the file
// package.json "exports" give for `import`, in dist/, as npm would install it. Run `npm run build`
// first.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = new URL('..', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));

/** `hubspot-visitor-chat[/sub]` → the file its "exports" give for `import`, as npm would install it. */
export function thisPackage() {
  return {
    name: 'this-package',
    resolveId(source) {
      if (source !== pkg.name && !source.startsWith(`${pkg.name}/`)) return null;
      const entry = pkg.exports[`.${source.slice(pkg.name.length)}`];
      const target = typeof entry === 'string' ? entry : entry?.import?.default;
      if (!target) return this.error(`${source} is not exported by package.json`);
      const file = fileURLToPath(new URL(target, root));
      if (!existsSync(file))
        return this.error(`${source}: ${target} is missing; run npm run build`);
      return file;
    },
  };
}
