// Offline only: the library's HubSpot stand-in, served as the widget script (`scriptUrl`).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

// Resolved when the server runs, from node_modules: `turbopackIgnore` keeps the bundler from
// replacing the path with a module of its own.
const standInPath = createRequire(import.meta.url).resolve(
  /* turbopackIgnore: true */ 'hubspot-visitor-chat/testing/hubspot-stand-in.js',
);

export async function GET(): Promise<Response> {
  return new Response(await readFile(standInPath), {
    headers: { 'Content-Type': 'text/javascript; charset=utf-8' },
  });
}
