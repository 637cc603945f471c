// `npm test`: every check, in order, then the plain line CI reads: `tests: N passed, M failed`.
// N and M count unit and e2e tests (the example apps' too), plus each other check (typecheck, lint, build, size, package,
// consumer) as one.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';

const out = '.ci-out';
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

let passed = 0;
let failed = 0;
const rows = [];

function run(name, command, args, env = {}) {
  const started = Date.now();
  console.log(`\n::: ${name}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = result.status === 0;
  rows.push(`${ok ? 'ok  ' : 'FAIL'} ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return ok;
}

function check(name, command, args) {
  if (run(name, command, args)) passed++;
  else failed++;
}

/** Counts from a runner's JSON report; a run that wrote none counts as one failure. */
function counted(name, read) {
  try {
    const [p, f] = read();
    passed += p;
    failed += f;
    if (p + f === 0) failed++; // ran no test: that is a failure too
  } catch (error) {
    console.error(`${name}: no report (${error.message})`);
    failed++;
  }
}

const npx = 'npx';
check('typecheck', npx, ['tsc', '--noEmit']);
check('lint', npx, ['biome', 'check', '.']);
check('build', npx, ['rollup', '-c', '--silent']);
run('unit tests', npx, [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${out}/vitest.json`,
]);
/** The one test that skips on purpose: it replays a model counterexample given in MODEL_PROGRAM. */
const SKIPPABLE = /^replays MODEL_PROGRAM/;
counted('unit tests', () => {
  const report = JSON.parse(readFileSync(`${out}/vitest.json`, 'utf8'));
  // A skipped test proves nothing: one that skips (a Redis test whose server did not start, a
  // stray .skip) counts as failed.
  const skipped = report.testResults.flatMap((file) =>
    file.assertionResults
      .filter((test) => test.status !== 'passed' && test.status !== 'failed')
      .filter((test) => !SKIPPABLE.test(test.title))
      .map((test) => `${file.name}: ${test.title}`),
  );
  for (const test of skipped) console.error(`skipped, counted as failed: ${test}`);
  return [
    report.numPassedTests,
    report.numFailedTests +
      skipped.length +
      (report.success === false && report.numFailedTests === 0 ? 1 : 0),
  ];
});
run('e2e tests', npx, ['playwright', 'test', '--reporter=list,json'], {
  PLAYWRIGHT_JSON_OUTPUT_NAME: `${out}/playwright.json`,
});
counted('e2e tests', () => {
  const { stats } = JSON.parse(readFileSync(`${out}/playwright.json`, 'utf8'));
  return [stats.expected + stats.flaky, stats.unexpected];
});
// The example apps (examples/*): installed when missing, built, and one spec run over each.
run('example apps e2e', 'node', ['scripts/examples.mjs', '--reporter=list,json'], {
  PLAYWRIGHT_JSON_OUTPUT_NAME: `${out}/examples.json`,
});
counted('example apps e2e', () => {
  const { stats } = JSON.parse(readFileSync(`${out}/examples.json`, 'utf8'));
  return [stats.expected + stats.flaky, stats.unexpected];
});
check('size', 'node', ['scripts/size.mjs']);
check('package (publint + attw)', 'npm', ['run', '--silent', 'check:package']);
check('consumer (pack, install, type-check, bundle, SSR)', 'node', ['scripts/consumer-check.mjs']);

console.log(`\n${rows.join('\n')}\n`);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
