// ESLint (flat config): bugs the compiler does not catch, and the walls between the house's rooms
// (CONTRIBUTING.md, "The house"). Style is Prettier's (.prettierrc): eslint-config-prettier turns off every
// rule it would fight. Not type-aware: the whole tree lints in seconds, and `npm run typecheck` checks types.
import js from '@eslint/js'
import prettier from 'eslint-config-prettier'
import vue from 'eslint-plugin-vue'
import { defineConfig, globalIgnores } from 'eslint/config'
import tseslint from 'typescript-eslint'

// ---- the rooms (test/scripts/lint-boundaries.test.ts lints fixtures that break each wall) --------------

/**
 * What the renderer (the main thread) may take from the engine: the protocol, the settings and pure
 * modules that pull in neither the layers nor the WebAssembly kernels (test/scripts/renderer-engine-imports
 * .test.ts follows their imports to the bottom). Everything else reaches the engine through the protocol.
 */
const RENDERER_ENGINE_MODULES = [
  'protocol',
  'protocol/.*',
  'config/.*',
  'core/dtype', // the precisions a run may have
  'model/layer-plan', // the layer editor's live plan, from shapes alone (model/layer-shapes.ts)
  'model-file/model-file', // reading a model file's summary; building its network is model-network.ts
  'data/mnist', // MNIST's file names, for the import form
  'visual/surfaces', // the optimizer lesson's surfaces
  'visual/path-settings', // and its settings
  'kernels/im2col', // the TypeScript im2col (no WebAssembly), shown step by step by the convolution lesson
  'kernels/conv-shape',
  'hosts/jitless-zod', // zod's setting for the CSP (no eval), imported first by every browser entry
  'store-quota', // the stores' quota arithmetic, the same in the browser and the desktop
  'sweep' // sweeps' trials, halving and scheduler (#/sweeps runs them on its own engine workers); reaches presets and settings only
]
/** Loaded on demand, in a chunk of their own, never in the first bundle (they need the layers or optimizers). */
const RENDERER_LAZY_ENGINE_MODULES = ['visual/optimizer-paths', 'export/pytorch/export-pytorch', 'export/pytorch/zip']

const alternatives = (list) => list.map((m) => m.replaceAll('/', '\\/')).join('|')
const NODE_BUILTINS = 'assert|buffer|child_process|crypto|events|fs|http|https|module|net|os|path|perf_hooks|process|stream|url|util|v8|vm|worker_threads|zlib'
const UI_PACKAGES = ['vue', 'pinia', 'vue-router', 'vue-i18n', 'chart.js', 'vue-chartjs'].map((name) => ({
  name,
  message: 'UI packages belong to the renderer.'
}))

/** Globals that exist only in a page (not in Node, not in a Web Worker). */
const DOM_ONLY_GLOBALS = ['window', 'document', 'localStorage', 'sessionStorage', 'alert', 'confirm', 'prompt', 'requestAnimationFrame', 'HTMLElement'].map(
  (name) => ({
    name,
    message: 'The engine runs in Node and in a Web Worker too: no DOM. Let the renderer do it, through the protocol.'
  })
)

const renderer = {
  files: ['src/renderer/**/*.{ts,vue}'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            regex: `^@engine/(?!(${alternatives(RENDERER_ENGINE_MODULES)}|data/.*)$)`,
            message:
              'The renderer sees the engine through its protocol (@engine/protocol), its settings (@engine/config) and the pure modules listed in eslint.config.mjs: this one would pull the layers or kernels into the main thread.'
          },
          { regex: '^@engine/data/(?!mnist$)', allowTypeImports: true, message: "The renderer may use the engine's data types only (import type)." },
          {
            regex: `^(\\.\\./){2,}(src/)?engine/(?!(${alternatives(RENDERER_ENGINE_MODULES)})$)`,
            message: 'The renderer may take from the engine only what eslint.config.mjs lists (RENDERER_ENGINE_MODULES).'
          },
          { regex: '^(node:|electron$)', message: 'The renderer is a web page: no Node, no Electron (window.gradientLab is the preload).' },
          { regex: `^(${NODE_BUILTINS})(/|$)`, message: 'The renderer is a web page: no Node built-ins.' }
        ]
      }
    ],
    'no-restricted-syntax': [
      'error',
      {
        selector: `ImportExpression[source.value=/^@engine\\/(?!(${alternatives(RENDERER_LAZY_ENGINE_MODULES)}|${alternatives(RENDERER_ENGINE_MODULES)})$)/]`,
        message: 'The renderer loads on demand only the engine modules listed in eslint.config.mjs (RENDERER_LAZY_ENGINE_MODULES).'
      }
    ]
  }
}

const engine = {
  files: ['src/engine/**/*.ts'],
  ignores: ['src/engine/hosts/node/**', 'src/engine/hosts/utility-process.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        paths: [{ name: 'electron', message: 'The engine knows nothing of Electron (hosts/utility-process.ts adapts it).' }, ...UI_PACKAGES],
        patterns: [
          { regex: '^node:', message: 'The engine runs in a browser worker too: Node only in src/engine/hosts/node/.' },
          { regex: `^(${NODE_BUILTINS})(/|$)`, message: 'The engine runs in a browser worker too: Node only in src/engine/hosts/node/.' },
          { regex: '^@renderer/|(^|/)(renderer|main|preload|cli)/', message: 'The engine imports only itself.' }
        ]
      }
    ],
    'no-restricted-globals': ['error', ...DOM_ONLY_GLOBALS]
  }
}

/**
 * The engine's numbers are the same bits on every host: V8's Math.exp, log, pow, tanh, sin and cos differ
 * in the last bit between versions (Node 20, Chromium, Electron), so the engine's numeric paths use
 * core/portable-math.ts (README, "Transcendental functions"). Display-only code says so in a disable comment.
 */
const PORTABLE_MATH_FUNCTIONS = ['exp', 'log', 'pow', 'tanh', 'sin', 'cos', 'expm1', 'log1p', 'atan2']
const portableMath = {
  files: ['src/engine/**/*.ts'],
  ignores: ['src/engine/core/portable-math.ts', 'src/engine/kernels/assembly/**', 'src/engine/hosts/node/**'],
  rules: {
    'no-restricted-properties': [
      'error',
      ...PORTABLE_MATH_FUNCTIONS.map((property) => ({
        object: 'Math',
        property,
        message: `Math.${property}'s last bit differs between V8 versions: use core/portable-math.ts, so a seed gives the same numbers on every host.`
      }))
    ]
  }
}

const preload = {
  files: ['src/preload/**/*.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [{ regex: '^(?!electron$)', allowTypeImports: true, message: "A sandboxed preload can require only 'electron' (types from ./api are fine)." }]
      }
    ]
  }
}

const main = {
  files: ['src/main/**/*.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        paths: UI_PACKAGES,
        patterns: [{ regex: '^@renderer/|(^|/)renderer/', message: 'The main process does not import the renderer: they talk over IPC.' }]
      }
    ]
  }
}

// ---- the config -------------------------------------------------------------------------------

const NODE_GLOBALS = Object.fromEntries(
  [
    'process',
    'console',
    'Buffer',
    'URL',
    'URLSearchParams',
    'TextEncoder',
    'TextDecoder',
    'setTimeout',
    'clearTimeout',
    'setInterval',
    'clearInterval',
    'setImmediate',
    'queueMicrotask',
    'structuredClone',
    'performance',
    'fetch',
    'AbortController',
    'WebAssembly'
  ].map((name) => [name, 'readonly'])
)

export default defineConfig([
  globalIgnores([
    'out/**',
    'dist/**',
    'test-results/**',
    'playwright-report/**',
    'bench/results/**',
    'resources/**',
    'build/**',
    // AssemblyScript (decorators on functions, i32/usize): its own compiler checks it (npm run kernels:build).
    'src/engine/kernels/assembly/**',
    // Generated by npm run kernels:build: base64 strings.
    'src/engine/kernels/*/compiled-module.ts'
  ]),
  js.configs.recommended,
  tseslint.configs.recommended,
  vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
    // vue-tsc checks names in components, with the DOM's types (as tsc does for .ts files).
    rules: { 'no-undef': 'off' }
  },
  {
    files: ['**/*.{js,mjs}'],
    languageOptions: { globals: NODE_GLOBALS }
  },
  {
    rules: {
      // `_`-prefixed names are unused on purpose (a callback's position, a destructured rest).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      eqeqeq: ['error', 'smart'],
      'no-irregular-whitespace': ['error', { skipRegExps: true, skipStrings: true }],
      // Deliberate here: file names are cleaned of control characters (main/ipc.ts, model-storage.ts).
      'no-control-regex': 'off',
      // The house rewords a caught error as one line naming the problem, on purpose (a layer's RangeError,
      // an IPC error without Electron's prefix); the cause is not what the user needs.
      'preserve-caught-error': 'off',
      'no-var': 'error',
      'prefer-const': 'error',
      // The CSP forbids inline scripts, and HTML from data is a way in for them.
      'vue/no-v-html': 'error'
    }
  },
  {
    // Tests hand the code malformed values on purpose; Playwright's fixtures start with `{}`.
    files: ['test/**', 'e2e/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', 'no-empty-pattern': 'off' }
  },
  {
    // Walks zod's internal schema definitions, which zod does not type.
    files: ['src/engine/config/run-file.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' }
  },
  renderer,
  engine,
  portableMath,
  preload,
  main,
  prettier
])
