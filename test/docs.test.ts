// @vitest-environment node
// docs/api.md is generated from the TSDoc (`npm run docs`, scripts/docs.mjs): regenerated here into
// a temp dir, it must match the committed file byte for byte, so that the reference never drifts
// from the code. The generator writes no dates and no paths, so the same sources give the same file.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

it('docs/api.md is what `npm run docs` generates from the TSDoc', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hubspot-visitor-chat-api-'));
  try {
    const fresh = join(dir, 'api.md');
    execFileSync(process.execPath, ['scripts/docs.mjs', fresh], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const generated = readFileSync(fresh, 'utf8');
    const committed = readFileSync(join(root, 'docs/api.md'), 'utf8');
    for (const entry of ['hubspot-visitor-chat', 'hubspot-visitor-chat/server']) {
      expect(generated).toContain(`# ${entry}\n`);
    }
    expect(generated).not.toMatch(/\/(work|tmp|home|Users)\//);
    if (generated !== committed) {
      const a = committed.split('\n');
      const b = generated.split('\n');
      const line = a.findIndex((text, i) => text !== b[i]);
      const at = line === -1 ? a.length : line;
      expect.fail(
        `docs/api.md is out of date: run \`npm run docs\` and commit it. First difference at line ${at + 1}:\n` +
          `  committed: ${a[at] ?? '(end of file)'}\n  generated: ${b[at] ?? '(end of file)'}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 180_000); // TypeDoc over every entry: ~10 s alone, much longer on a busy 2-core machine
