/**
 * The static import graph of the sources, as the bundler follows it: from a set of entry files, every file
 * reached through `import … from`, `export … from` and side-effect imports (dynamic `import()` starts a lazy
 * chunk of its own and is followed only when asked). Type-only imports are skipped: they are erased before
 * bundling. The lint rule checks one file's imports; this follows them all the way down, so a module the
 * renderer may import cannot start pulling the kernels in behind it.
 */
import { existsSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import ts from 'typescript'

export const ROOT = resolve(import.meta.dirname, '../..')

const ALIASES: Record<string, string> = {
  '@engine/': join(ROOT, 'src/engine/'),
  '@renderer/': join(ROOT, 'src/renderer/src/')
}

const EXTENSIONS = ['', '.ts', '.vue', '.mts', '.js', '/index.ts']

export interface ImportSite {
  specifier: string
  dynamic: boolean
}

/** The script blocks of a single-file component, or the whole file for TypeScript. */
function scriptText(path: string): string {
  const text = readFileSync(path, 'utf8')
  if (!path.endsWith('.vue')) return text
  return [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n')
}

function typeOnly(clause: ts.ImportClause | undefined): boolean {
  if (!clause) return false // `import 'x'`: a side effect
  if (clause.isTypeOnly) return true
  if (clause.name) return false
  const bindings = clause.namedBindings
  return !!bindings && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly)
}

/** Every import of one file that survives into JavaScript. */
export function importsOf(path: string): ImportSite[] {
  const source = ts.createSourceFile(path, scriptText(path), ts.ScriptTarget.Latest, false, ts.ScriptKind.TS)
  const sites: ImportSite[] = []
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      if (!typeOnly(node.importClause)) sites.push({ specifier: node.moduleSpecifier.text, dynamic: false })
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      if (!node.isTypeOnly) sites.push({ specifier: node.moduleSpecifier.text, dynamic: false })
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments
      if (arg && ts.isStringLiteralLike(arg)) sites.push({ specifier: arg.text, dynamic: true })
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return sites
}

/** A specifier as a file of this repository, or undefined for a package (or a `?worker`-style query). */
export function resolveImport(from: string, specifier: string): string | undefined {
  let base: string | undefined
  if (specifier.startsWith('.')) base = resolve(dirname(from), specifier)
  else {
    const alias = Object.keys(ALIASES).find((a) => specifier.startsWith(a))
    if (alias) base = ALIASES[alias] + specifier.slice(alias.length)
  }
  if (!base || base.includes('?')) return undefined
  for (const ext of EXTENSIONS) {
    const path = base + ext
    if (existsSync(path) && statSync(path).isFile()) return path
  }
  throw new Error(`${from}: cannot resolve '${specifier}'`)
}

/** Every file reached from `entries` by static imports (and by dynamic ones too when `followDynamic`). */
export function reachable(entries: readonly string[], followDynamic = false): Set<string> {
  const seen = new Set<string>()
  const stack = [...entries]
  while (stack.length) {
    const file = stack.pop()!
    if (seen.has(file)) continue
    seen.add(file)
    for (const site of importsOf(file)) {
      if (site.dynamic && !followDynamic) continue
      const target = resolveImport(file, site.specifier)
      if (target && !seen.has(target)) stack.push(target)
    }
  }
  return seen
}
