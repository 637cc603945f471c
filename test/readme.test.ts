// @vitest-environment node
// The README and the guides in docs/ are a front door a newcomer reads in five minutes (issue 15):
// the README stays small, every link in them leads somewhere, and every code example is real code
// that type-checks against the sources. docs/api.md is generated (test/docs.test.ts), and
// docs/backend.md, docs/react.md and docs/vue.md are checked by their own tests (test/server/,
// test/react/, test/vue/).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect, it } from 'vitest';
import { typeCheckExamples } from './type-check-examples';

const root = join(import.meta.dirname, '..');
const TESTED_ELSEWHERE = ['api.md', 'backend.md', 'react.md', 'vue.md'];
const pages = [
  'README.md',
  'CONTRIBUTING.md',
  ...readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md') && !TESTED_ELSEWHERE.includes(name))
    .sort()
    .map((name) => `docs/${name}`),
].map((path) => ({ path, text: readFileSync(join(root, path), 'utf8') }));

interface Block {
  page: string;
  lang: string;
  code: string;
}
const blocks: Block[] = pages.flatMap(({ path, text }) =>
  [...text.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((match) => ({
    page: path,
    lang: match[1] as string,
    code: match[2] as string,
  })),
);

/** The repository, as package.json's `homepage` names it. */
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const REPOSITORY = String(pkg.homepage).replace(/#readme$/, '');
/** A Markdown reference definition: `[label]: url`. */
const DEFINITION = /^\[([^\]]+)\]: (\S+)$\n?/gm;

it('keeps the README a front door: at most 12 KB, not counting its link definitions', () => {
  // Its links are absolute (issue 21: they must work on npm's page and inside node_modules), each
  // URL once, in a reference definition at the bottom: addresses, not reading.
  const text = readFileSync(join(root, 'README.md'), 'utf8').replace(DEFINITION, '');
  expect(Buffer.byteLength(text)).toBeLessThanOrEqual(12 * 1024);
});

it("links from the README only to this repository's files, by absolute URLs that match package.json", () => {
  expect(pkg.repository.url).toBe(`git+${REPOSITORY}.git`);
  expect(pkg.bugs.url).toBe(`${REPOSITORY}/issues`);
  const readme = pages[0]?.text.replace(/^```[\s\S]*?^```$/gm, '') ?? '';
  const inline = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]);
  expect(inline.filter((target) => !/^https:/.test(target ?? ''))).toEqual([]);
  const defined = new Set([...readme.matchAll(DEFINITION)].map((match) => match[1]));
  const used = new Set([...readme.matchAll(/\]\[([^\]]+)\]/g)].map((match) => match[1]));
  expect([...used].filter((label) => !defined.has(label))).toEqual([]);
  expect([...defined].filter((label) => !used.has(label))).toEqual([]);
});

it('has the README parts a newcomer needs', () => {
  const readme = pages[0]?.text ?? '';
  for (const needle of [
    'npm run demo',
    'npm test',
    '/main/docs/screenshot.png',
    '## Prerequisites',
    'Professional or Enterprise',
    'Node ≥ 20.19',
    'npx playwright install chromium',
    'CHROMIUM_PATH',
    "from 'hubspot-visitor-chat/react'",
    "from 'hubspot-visitor-chat/vue'",
    'HubSpotVisitorChat.createChat',
    "from 'hubspot-visitor-chat/server'",
    '## Consent',
  ]) {
    expect(readme).toContain(needle);
  }
});

it('links only to files and headings that exist', () => {
  const broken: string[] = [];
  // An absolute link into this repository (the README's) is checked as the file it names.
  const local = (target: string) =>
    target
      .replace(`${REPOSITORY}/blob/main/`, '/')
      .replace(`${REPOSITORY}/tree/main/`, '/')
      .replace(
        `${REPOSITORY.replace('https://github.com/', 'https://raw.githubusercontent.com/')}/main/`,
        '/',
      );
  for (const { path, text } of pages) {
    const prose = text.replace(/^```[\s\S]*?^```$/gm, '');
    const targets = [
      ...[...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1] ?? ''),
      ...[...prose.matchAll(DEFINITION)].map((match) => match[2] ?? ''),
    ].map(local);
    for (const target of targets) {
      if (/^(https?:|mailto:)/.test(target)) continue;
      const [file = '', anchor] = target.split('#');
      const resolved = file.startsWith('/')
        ? join(root, file)
        : file
          ? join(root, dirname(path), file)
          : join(root, path);
      if (!existsSync(resolved)) broken.push(`${path}: ${target}`);
      else if (anchor && resolved.endsWith('.md') && !anchors(resolved).has(anchor)) {
        broken.push(`${path}: ${target} (no such heading)`);
      }
    }
  }
  expect(broken).toEqual([]);
});

/** GitHub's heading anchors of a Markdown file, and its explicit `<a id>`s. */
function anchors(file: string): Set<string> {
  const text = readFileSync(file, 'utf8').replace(/^```[\s\S]*?^```$/gm, '');
  const found = new Set([...text.matchAll(/<a id="([^"]+)">/g)].map((match) => match[1] as string));
  for (const [, heading = ''] of text.matchAll(/^#{1,6} (.*)$/gm)) {
    const slug = heading
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    let unique = slug;
    for (let n = 1; found.has(unique); n++) unique = `${slug}-${n}`;
    found.add(unique);
  }
  return found;
}

it('has TypeScript examples in the README and in each guide', () => {
  const typed = blocks.filter((block) => /^(ts|tsx|js)$/.test(block.lang));
  expect(typed.filter((block) => block.page === 'README.md').length).toBeGreaterThanOrEqual(4);
  for (const page of ['docs/security.md', 'docs/consent.md', 'docs/testing.md']) {
    expect(typed.some((block) => block.page === page)).toBe(true);
  }
});

/**
 * What the examples may use without declaring it: `chat`, the page's Chat (as the prose around
 * them says); `HubSpotVisitorChat`, the global of the UMD files (the main one and the launcher's)
 * in `<script>` examples; and `express`, whose types are not installed here (its `req`/`res` are
 * Node's, which is what `toNodeHandler` takes).
 */
const PRELUDE = `
declare const chat: import('hubspot-visitor-chat').Chat;
declare const HubSpotVisitorChat: typeof import('../src/umd') & typeof import('../src/umd-launcher');
declare module 'express' {
  import type { IncomingMessage, ServerResponse } from 'node:http';
  type Handler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;
  interface Express {
    all(path: string, handler: Handler): void;
    post(path: string, handler: Handler): void;
    use(handler: Handler): void;
    listen(port: number): void;
  }
  export default function express(): Express;
}
`;

/** Each example as a module of its own (so that two may declare `chat`), named by its page. */
function sources(): Map<string, string> {
  const files = new Map<string, string>([[join(root, 'docs-examples/prelude.d.ts'), PRELUDE]]);
  blocks.forEach(({ page, lang, code }, i) => {
    const name = join(root, 'docs-examples', `${page.replace(/\W/g, '-')}-${i}`);
    if (lang === 'ts' || lang === 'tsx') files.set(`${name}.${lang}`, `${code}\nexport {};\n`);
    else if (lang === 'js') files.set(`${name}.js`, `${code}\nexport {};\n`);
    else if (lang === 'html') {
      // The inline scripts of a `<script>`-tag example, checked as JavaScript.
      const scripts = [...code.matchAll(/<script>\n([\s\S]*?)<\/script>/g)].map((m) => m[1]);
      if (scripts.length) files.set(`${name}.js`, `${scripts.join('\n')}\nexport {};\n`);
    }
  });
  return files;
}

it('type-checks every TypeScript and JavaScript example in the README and the guides', () => {
  const files = sources();
  const problems = typeCheckExamples(files, { allowJs: true, checkJs: true });
  expect(problems).toEqual([]);
}, 120_000); // a full type-check: seconds alone, much longer on a busy 2-core machine
