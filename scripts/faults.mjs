// `npm run test:faults`: runs the fault matrices (token endpoint in Chromium, HubSpot side against
// the stand-in) and prints one table: case, expected, observed, pass.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';

for (const file of ['faults-token', 'faults-hubspot'])
  rmSync(`.ci-out/${file}.json`, { force: true });
const quiet = { stdio: ['ignore', 'ignore', 'inherit'] };
spawnSync('npx', ['rollup', '-c', '--silent'], quiet);
spawnSync('npx', ['vitest', 'run', 'test/faults-hubspot.test.ts'], quiet);
spawnSync('npx', ['playwright', 'test', 'e2e/faults.spec.ts'], quiet);

const rows = [];
for (const [side, file] of [
  ['token endpoint', 'faults-token'],
  ['HubSpot', 'faults-hubspot'],
]) {
  try {
    for (const row of JSON.parse(readFileSync(`.ci-out/${file}.json`, 'utf8')))
      rows.push({ side, ...row });
  } catch {
    rows.push({
      side,
      case: `(${file} did not run)`,
      expected: 'a report',
      observed: 'none',
      pass: false,
    });
  }
}
const widths = ['side', 'case', 'expected', 'observed'].map((key) =>
  Math.min(70, Math.max(key.length, ...rows.map((row) => String(row[key]).length))),
);
const cell = (text, width) => String(text).slice(0, width).padEnd(width);
const line = (values) => `| ${values.map((v, i) => cell(v, widths[i] ?? 4)).join(' | ')} |`;
console.log(line(['side', 'case', 'expected', 'observed', 'pass']));
console.log(`|${[...widths, 4].map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const row of rows)
  console.log(line([row.side, row.case, row.expected, row.observed, row.pass ? 'yes' : 'NO']));
const passed = rows.filter((row) => row.pass).length;
console.log(`\nfaults: ${passed} passed, ${rows.length - passed} failed (${rows.length} cases)`);
process.exit(passed === rows.length ? 0 : 1);
