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
    // jsdom on a loaded 2-core machine can be slow; a test must fail on a wrong result, not on time.
    testTimeout: 30000,
  },
} as any);
