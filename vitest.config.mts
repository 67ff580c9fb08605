import { resolve } from 'node:path'
import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'

const alias = {
  '@renderer': resolve(import.meta.dirname, 'src/renderer/src'),
  '@engine': resolve(import.meta.dirname, 'src/engine')
}

export default defineConfig({
  test: {
    projects: [
      { resolve: { alias }, test: { name: 'engine', environment: 'node', include: ['test/engine/**/*.test.ts', 'test/cli/**/*.test.ts', 'test/main/**/*.test.ts', 'test/scripts/**/*.test.ts'] } },
      { plugins: [vue()], resolve: { alias }, test: { name: 'renderer', environment: 'happy-dom', include: ['test/renderer/**/*.test.ts'] } }
    ]
  }
})
