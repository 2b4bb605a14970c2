import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    outDir: 'dist',
    // dist/.gitkeep is committed so that go:embed finds the folder on a clean checkout.
    emptyOutDir: false,
    target: 'es2020',
  },
  test: {
    environment: 'jsdom',
  },
} as any);
