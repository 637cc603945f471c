// Debian's chromium (Playwright cannot download browsers here), overridable with CHROMIUM_PATH;
// undefined elsewhere, so that Playwright uses its own browser on an ordinary laptop.
import { execFileSync } from 'node:child_process';

export function chromiumPath() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    return (
      execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim() || undefined
    );
  } catch {
    return undefined;
  }
}
