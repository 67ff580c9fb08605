#!/usr/bin/env node
/*
 * The web host: serves the built renderer (out/renderer) at / and the bundled MNIST files
 * (resources/mnist) at /data/mnist/, on 127.0.0.1 only. No dependencies, so it runs anywhere Node does.
 *
 *   PORT=5180 node scripts/serve-web.mjs
 *
 * PORT=0 picks a free port (tests); RENDERER_DIR serves another build folder (tests).
 *
 * The .gz files are served as the bytes they are (application/gzip, no Content-Encoding): the engine
 * decompresses them itself, exactly as it does for a folder the student imports.
 */
import { createServer } from 'node:http'
import { createReadStream, existsSync, statSync } from 'node:fs'
import { extname, isAbsolute, join, relative, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '..')
const HOST = '127.0.0.1'

/**
 * Same policy as the meta tag in src/renderer/index.html; as a header it also covers the worker script.
 * 'wasm-unsafe-eval' lets the engine compile its WebAssembly kernels; it does not allow eval of JS.
 */
export const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; " +
  "worker-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'"

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.gz': 'application/gzip'
}

/**
 * Maps a URL path onto a file under one of the two roots, or null. Decoding happens once, and the
 * resolved path must stay inside its root, so `..`, encoded `%2e%2e`, backslashes and NUL bytes cannot
 * reach anything else.
 */
export function resolveRequestPath(urlPath, { rendererDir, mnistDir }) {
  let decoded
  try {
    decoded = decodeURIComponent(urlPath)
  } catch {
    return null
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null
  const mounts = [
    { prefix: '/data/mnist/', dir: mnistDir },
    { prefix: '/', dir: rendererDir }
  ]
  for (const { prefix, dir } of mounts) {
    if (!decoded.startsWith(prefix)) continue
    let rest = decoded.slice(prefix.length)
    if (prefix === '/' && (rest === '' || rest.endsWith('/'))) rest += 'index.html'
    const file = resolve(dir, rest)
    const rel = relative(dir, file)
    if (rel === '' || rel === '..' || rel.startsWith('../') || rel.startsWith('..\\') || isAbsolute(rel)) return null
    return file
  }
  return null
}

function securityHeaders() {
  return {
    'Content-Security-Policy': CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    // With COOP, this makes the page cross-origin isolated: SharedArrayBuffer, so the engine's kernels can
    // run on several threads. Everything the app loads is its own, so nothing is blocked.
    'Cross-Origin-Embedder-Policy': 'require-corp',
    'Cross-Origin-Resource-Policy': 'same-origin'
  }
}

export function createWebServer({ rendererDir = join(ROOT, 'out', 'renderer'), mnistDir = join(ROOT, 'resources', 'mnist') } = {}) {
  return createServer((req, res) => {
    const send = (status, text) => {
      res.writeHead(status, { ...securityHeaders(), 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) })
      res.end(req.method === 'HEAD' ? undefined : text)
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD')
      return send(405, 'Method Not Allowed\n')
    }
    let pathname
    try {
      pathname = new URL(req.url ?? '/', 'http://localhost').pathname
    } catch {
      return send(400, 'Bad Request\n')
    }
    const file = resolveRequestPath(pathname, { rendererDir, mnistDir })
    if (!file) return send(404, 'Not Found\n')
    let stat
    try {
      stat = statSync(file)
    } catch {
      return send(404, 'Not Found\n')
    }
    if (!stat.isFile()) return send(404, 'Not Found\n')
    const type = MIME[extname(file).toLowerCase()] ?? 'application/octet-stream'
    res.writeHead(200, {
      ...securityHeaders(),
      'Content-Type': type,
      'Content-Length': stat.size,
      // index.html names hashed assets, so it must be re-fetched after a rebuild; the rest may be cached.
      'Cache-Control': file.endsWith('index.html') ? 'no-cache' : 'public, max-age=300'
    })
    if (req.method === 'HEAD') return res.end()
    const stream = createReadStream(file)
    stream.on('error', () => res.destroy())
    stream.pipe(res)
  })
}

function fail(message) {
  console.error(`serve-web: ${message}`)
  process.exit(1)
}

function main() {
  const rendererDir = process.env.RENDERER_DIR ? resolve(process.env.RENDERER_DIR) : join(ROOT, 'out', 'renderer')
  const portText = process.env.PORT ?? '5180'
  const port = Number(portText)
  if (!/^\d+$/.test(portText) || port > 65535) fail(`PORT must be a number from 0 to 65535, got "${portText}"`)
  if (!existsSync(join(rendererDir, 'index.html'))) fail(`${join(rendererDir, 'index.html')} is missing; run npm run build first`)
  const server = createWebServer({ rendererDir })
  server.on('error', (error) => {
    if (error.code === 'EADDRINUSE') fail(`port ${port} on ${HOST} is already in use; set PORT to another port`)
    fail(error.message)
  })
  server.listen(port, HOST, () => {
    console.log(`Gradient Lab (browser host) at http://${HOST}:${server.address().port}/`)
  })
  const stop = () => {
    server.close(() => process.exit(0))
    server.closeAllConnections()
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) main()
