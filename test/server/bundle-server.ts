// Builds today's src/server into one .mjs for child processes. They run plain Node, which cannot
// load TypeScript on Node 20, and dist/server may be stale (built before an edit) or absent (a
// fresh clone running `npx vitest`). Bundling here with rollup and TypeScript's transpileModule
// (no type-check: `npm run typecheck` does that) takes about a second and always tests the source.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import nodeResolve from '@rollup/plugin-node-resolve';
import { rollup } from 'rollup';
import ts from 'typescript';

export interface ServerBundle {
  /** A `file:` URL for `import()`. */
  url: string;
  remove(): Promise<void>;
}

export async function bundleServer(): Promise<ServerBundle> {
  const bundle = await rollup({
    input: 'src/server/index.ts',
    plugins: [
      nodeResolve({ extensions: ['.ts', '.mjs', '.js'] }), // jose is inlined: the file stands alone
      {
        name: 'transpile-typescript',
        transform(code, id) {
          if (!id.endsWith('.ts')) return null;
          const out = ts.transpileModule(code, {
            fileName: id,
            compilerOptions: {
              target: ts.ScriptTarget.ES2022,
              module: ts.ModuleKind.ESNext,
              verbatimModuleSyntax: true,
            },
          });
          return { code: out.outputText, map: null };
        },
      },
    ],
  });
  const dir = await mkdtemp(join(tmpdir(), 'hvc-server-'));
  const file = join(dir, 'server.mjs');
  await bundle.write({ file, format: 'es' });
  await bundle.close();
  return { url: pathToFileURL(file).href, remove: () => rm(dir, { recursive: true, force: true }) };
}
