// @ts-check
// Production: `npm run build`, then `npm start` serves dist/ and the API on one port.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { api, warnIfFakeSecret } from './api.js';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
/** @type {Record<string, string>} */
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

createServer((req, res) => {
  api(req, res, async () => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const file = normalize(join(dist, path));
    // A file of the build, else the app's shell: the router renders every other path.
    const isAsset = file.startsWith(dist) && extname(file) !== '';
    const served = isAsset ? file : join(dist, 'index.html');
    try {
      const body = await readFile(served);
      const type = TYPES[extname(served)] ?? 'application/octet-stream';
      res.writeHead(200, { 'Content-Type': type }).end(body);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    }
  });
}).listen(port, host, () => {
  console.log(`http://${host}:${port}`);
  warnIfFakeSecret();
});
