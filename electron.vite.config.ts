import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import vue from '@vitejs/plugin-vue'

export default defineConfig({
  main: {
    build: {
      // Main and the engine host are bundled with their dependencies (zod, …): a packaged app then needs
      // no node_modules at all, and the renderer's libraries are in its own bundle already.
      externalizeDeps: false,
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
    // vue-i18n's bundler flags: composition API only, no devtools hooks in production.
    define: {
      __VUE_I18N_FULL_INSTALL__: true,
      __VUE_I18N_LEGACY_API__: false,
      __INTLIFY_PROD_DEVTOOLS__: false
    },
    plugins: [vue()]
  }
})
