// Type-checks documentation examples held in memory against the sources (the package's entries
// mapped to src/), as an app would see them. Shared by the README, React, Vue and backend doc tests.
import { join } from 'node:path';
import ts from 'typescript';

export const root = join(import.meta.dirname, '..');

/**
 * The problems TypeScript finds in `files` (path → source), as `file:line: message`; `options`
 * adds to or overrides the defaults (strict, ES2022, bundler resolution, DOM and React JSX).
 */
export function typeCheckExamples(
  files: Map<string, string>,
  options: ts.CompilerOptions = {},
): string[] {
  const compilerOptions: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    jsx: ts.JsxEmit.ReactJSX,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
    types: ['node'],
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    baseUrl: root,
    ...options,
    paths: {
      'hubspot-visitor-chat': ['src/index.ts'],
      'hubspot-visitor-chat/testing': ['src/testing/index.ts'],
      'hubspot-visitor-chat/server': ['src/server/index.ts'],
      'hubspot-visitor-chat/react': ['src/react/index.ts'],
      'hubspot-visitor-chat/vue': ['src/vue/index.ts'],
      ...options.paths,
    },
  };
  const host = ts.createCompilerHost(compilerOptions);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const directoryExists = host.directoryExists?.bind(host);
  host.readFile = (name) => files.get(name) ?? readFile(name);
  host.fileExists = (name) => files.has(name) || fileExists(name);
  // Examples may import each other from folders that exist only in memory (`app/layout.tsx`).
  host.directoryExists = (name) =>
    [...files.keys()].some((file) => file.startsWith(`${name}/`)) ||
    (directoryExists?.(name) ?? true);
  const program = ts.createProgram([...files.keys()], compilerOptions, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where =
      d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
    const line = where ? `:${where.line + 1}` : '';
    return `${d.file?.fileName.replace(`${root}/`, '') ?? ''}${line}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}
