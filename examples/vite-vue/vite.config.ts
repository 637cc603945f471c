import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';
import { api } from './server/api.js';

export default defineConfig({
  plugins: [
    vue(),
    // `npm run dev`: the backend's routes on Vite's own server.
    { name: 'api', configureServer: (server) => void server.middlewares.use(api) },
  ],
  // Only for this example's local link to the library (`file:../..`, which has Vue of its own):
  // one copy of Vue. An app that installs the library from npm does not need it.
  resolve: { dedupe: ['vue'] },
});
