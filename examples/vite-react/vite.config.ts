import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { api, warnIfFakeSecret } from './server/api.js';

export default defineConfig({
  plugins: [
    react(),
    // `npm run dev`: the backend's routes on Vite's own server.
    {
      name: 'api',
      configureServer: (server) => {
        server.middlewares.use(api);
        warnIfFakeSecret();
      },
    },
  ],
  // Only for this example's local link to the library (`file:../..`, which has React of its own):
  // one copy of React. An app that installs the library from npm does not need it.
  resolve: { dedupe: ['react', 'react-dom'] },
});
