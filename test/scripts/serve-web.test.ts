/*
 * The web host's static server, run as the real script on a free port: what it serves, with which
 * headers, and what it refuses (directory traversal in its various spellings).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '../..')
const SCRIPT = join(ROOT, 'scripts/serve-web.mjs')

let dir: string
let server: ChildProcess
let base: URL

/** A raw GET: node's http client sends the path as written, unlike fetch, which normalises `..`. */
function get(path: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((done, fail) => {
    const req = request({ host: base.hostname, port: base.port, path, method: 'GET' }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }))
    })
    req.on('error', fail)
    req.end()
  })
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'serve-web-'))
  mkdirSync(join(dir, 'renderer/assets'), { recursive: true })
  writeFileSync(join(dir, 'renderer/index.html'), '<!doctype html><title>t</title>')
  writeFileSync(join(dir, 'renderer/assets/app.js'), 'console.log(1)')
  writeFileSync(join(dir, 'secret.txt'), 'do not serve')
  server = spawn(process.execPath, [SCRIPT], { env: { ...process.env, PORT: '0', RENDERER_DIR: join(dir, 'renderer') }, stdio: ['ignore', 'pipe', 'pipe'] })
  const line = await new Promise<string>((done, fail) => {
    let out = ''
    server.stdout!.on('data', (c: Buffer) => {
      out += c.toString()
      if (out.includes('\n')) done(out.trim())
    })
    server.on('exit', (code: number | null) => fail(new Error(`server exited with ${code}`)))
  })
  expect(line).toMatch(/^Gradient Lab \(browser host\) at http:\/\/127\.0\.0\.1:\d+\/$/)
  base = new URL(line.slice(line.indexOf('http')))
})

afterAll(() => {
  server?.kill('SIGTERM')
  rmSync(dir, { recursive: true, force: true })
})

describe('serve-web', () => {
  it('serves index.html at / with the CSP and nosniff headers', async () => {
    const res = await get('/')
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    expect(res.headers['content-security-policy']).toContain("default-src 'self'")
    expect(res.headers['content-security-policy']).toContain("worker-src 'self' blob:")
    // Cross-origin isolated: the engine's kernel threads need SharedArrayBuffer.
    expect(res.headers['cross-origin-opener-policy']).toBe('same-origin')
    expect(res.headers['cross-origin-embedder-policy']).toBe('require-corp')
    expect(res.body.toString()).toContain('<title>t</title>')
  })

  it('serves scripts as JavaScript', async () => {
    const res = await get('/assets/app.js')
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8')
  })

  it('serves the bundled MNIST .gz files as gzip bytes without Content-Encoding', async () => {
    const res = await get('/data/mnist/t10k-labels-idx1-ubyte.gz')
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('application/gzip')
    expect(res.headers['content-encoding']).toBeUndefined()
    expect(res.body.equals(readFileSync(join(ROOT, 'resources/mnist/t10k-labels-idx1-ubyte.gz')))).toBe(true)
    expect([res.body[0], res.body[1]]).toEqual([0x1f, 0x8b])
  })

  it('answers 404 for unknown paths and directories', async () => {
    expect((await get('/nope.js')).status).toBe(404)
    expect((await get('/assets')).status).toBe(404)
    expect((await get('/data/mnist/')).status).toBe(404)
  })

  it.each([
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/..%2fsecret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/data/mnist/..%2f..%2fpackage.json',
    '/data/mnist/%2e%2e/%2e%2e/package.json',
    '/..%5csecret.txt',
    '/%00index.html',
    '/%E0%A4%A'
  ])('refuses the traversal %s', async (path) => {
    const res = await get(path)
    expect(res.status).toBe(404)
    expect(res.body.toString()).not.toContain('do not serve')
    expect(res.body.toString()).not.toContain('"name": "gradient-lab"')
  })

  it('refuses methods other than GET and HEAD', async () => {
    const status = await new Promise<number>((done, fail) => {
      const req = request({ host: base.hostname, port: base.port, path: '/', method: 'POST' }, (res) => {
        res.resume()
        done(res.statusCode ?? 0)
      })
      req.on('error', fail)
      req.end()
    })
    expect(status).toBe(405)
  })

  it('fails with one line when the port is taken', () => {
    const run = spawnSync(process.execPath, [SCRIPT], {
      env: { ...process.env, PORT: base.port, RENDERER_DIR: join(dir, 'renderer') },
      encoding: 'utf8',
      timeout: 10_000
    })
    expect(run.status).toBe(1)
    expect(run.stderr.trim().split('\n')).toHaveLength(1)
    expect(run.stderr).toContain(`port ${base.port}`)
    expect(run.stderr).toContain('already in use')
  })

  it('fails with one line when the build is missing', () => {
    const run = spawnSync(process.execPath, [SCRIPT], {
      env: { ...process.env, PORT: '0', RENDERER_DIR: join(dir, 'missing') },
      encoding: 'utf8',
      timeout: 10_000
    })
    expect(run.status).toBe(1)
    expect(run.stderr.trim().split('\n')).toHaveLength(1)
    expect(run.stderr).toContain('run npm run build first')
  })
})
