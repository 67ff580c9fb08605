import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import vue from '@vitejs/plugin-vue'

export default defineConfig({
  main: {
    build: {
      rolldownOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          // The engine's Electron host, started by the main process with utilityProcess.fork.
          engineHost: resolve(__dirname, 'src/engine/hosts/utility-process.ts')
        }
      }
    }
  },
  preload: {
    build: { rolldownOptions: { input: { index: resolve(__dirname, 'src/preload/index.ts') } } }
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    resolve: {
      alias: {
        '@renderer': resolve(__dirname, 'src/renderer/src'),
        '@engine': resolve(__dirname, 'src/engine')
      }
    },
    build: { rolldownOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } } },
    worker: { format: 'es' },
    plugins: [vue()]
  }
})
