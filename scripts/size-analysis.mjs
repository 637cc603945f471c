// `npm run size:analysis`: where the UMD bundle's bytes go. Each minified byte is attributed to the
// source file the source map names for it; each file's share of the min+gzip total is its own
// bytes gzipped, scaled so that the shares add up to the bundle's real min+gzip size.
import { readFileSync } from 'node:fs';
import { eachMapping, TraceMap } from '@jridgewell/trace-mapping';
import { CEILING_BYTES, gzipSize, sizeLine, UMD_FILE } from './size.mjs';

const code = readFileSync(UMD_FILE, 'utf8');
const map = new TraceMap(JSON.parse(readFileSync(`${UMD_FILE}.map`, 'utf8')));
const lineStarts = [0];
for (let i = code.indexOf('\n'); i !== -1; i = code.indexOf('\n', i + 1)) lineStarts.push(i + 1);

const segments = [];
eachMapping(map, (m) => {
  segments.push({ at: lineStarts[m.generatedLine - 1] + m.generatedColumn, source: m.source });
});
segments.sort((a, b) => a.at - b.at);
const bySource = new Map();
segments.forEach(({ at, source }, i) => {
  const name = (source ?? '(no source)').replace(/.*node_modules\//, '').replace(/.*src\//, 'src/');
  const end = segments[i + 1]?.at ?? code.length;
  bySource.set(name, (bySource.get(name) ?? '') + code.slice(at, end));
});

const total = gzipSize(code);
const rows = [...bySource].map(([name, text]) => ({
  name,
  min: text.length,
  gzip: gzipSize(text),
}));
const gzipSum = rows.reduce((sum, row) => sum + row.gzip, 0);
rows.sort((a, b) => b.gzip - a.gzip);
console.log(`${UMD_FILE}: ${Buffer.byteLength(code)} B minified`);
console.log(`${sizeLine('UMD bundle', total, CEILING_BYTES)}\n`);
console.log(`${'source'.padEnd(44)} ${'min'.padStart(6)} ${'≈ gzip'.padStart(7)}`);
for (const { name, min, gzip } of rows) {
  const share = Math.round((gzip * total) / gzipSum);
  console.log(`${name.padEnd(44)} ${String(min).padStart(6)} ${String(share).padStart(7)}`);
}
