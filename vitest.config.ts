import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'happy-dom',
    include: ['test/**/*.test.ts'],
    environmentOptions: {
      // Scripts are never fetched in unit tests: the HubSpot stand-in answers the loader tag itself.
      happyDOM: {
        url: 'https://www.example.com/account',
        settings: { disableJavaScriptFileLoading: true, handleDisabledFileLoadingAsSuccess: true },
      },
    },
  },
});
