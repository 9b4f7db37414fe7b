import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist/web',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
    // Two apps: staff (index.html) and the customer portal (portal.html), which stays small.
    rollupOptions: { input: { main: 'index.html', portal: 'portal.html' } },
  },
  server: { port: 5173 },
});
