import { resolve } from 'node:path'
import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'

const alias = {
  '@renderer': resolve(import.meta.dirname, 'src/renderer/src'),
  '@engine': resolve(import.meta.dirname, 'src/engine')
}

// The fuzz suites run 10,000 cases a property: 1–3 s here, more on a loaded CI machine, where vitest's 5 s
// default made them flaky. A hung test still fails, after 30 s.
const testTimeout = 30_000

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'engine',
          environment: 'node',
          testTimeout,
          include: ['test/engine/**/*.test.ts', 'test/cli/**/*.test.ts', 'test/main/**/*.test.ts', 'test/scripts/**/*.test.ts'],
          // The WebAssembly backends, as every engine host installs them (test/setup/install-wasm-backends.ts).
          setupFiles: ['test/setup/install-wasm-backends.ts']
        }
      },
      { plugins: [vue()], resolve: { alias }, test: { name: 'renderer', environment: 'happy-dom', testTimeout, include: ['test/renderer/**/*.test.ts'] } }
    ]
  }
})
