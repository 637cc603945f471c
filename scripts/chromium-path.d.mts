/** Debian's chromium, `CHROMIUM_PATH`, or undefined for Playwright's own browser. */
export declare function chromiumPath(): string | undefined;
