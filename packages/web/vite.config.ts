import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/** One page per app; the server maps /<app>/* to dist/<app>/index.html (packages/server/src/http/web-static.ts). */
const pages = ['index', 'phone/index', 'agent/index', 'admin/index', 'rooms/index'];

export default defineConfig({
  base: '/',
  plugins: [react()],
  resolve: {
    // The SDK and the protocol are compiled with the apps from their source, so the web build does not depend on their builds.
    alias: { '@callsight/sdk': here('../sdk/src/index.ts'), '@callsight/protocol': here('../protocol/src/index.ts') },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rolldownOptions: {
      input: Object.fromEntries(pages.map((p) => [p.replace('/index', ''), here(`${p}.html`)])),
    },
  },
  server: {
    proxy: { '/api': { target: 'http://127.0.0.1:3000', ws: true } },
  },
});
