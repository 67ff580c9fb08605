// Types of kernel-build.mjs for the TypeScript tests that import it.
export interface KernelModule {
  sources: string
  output: string
  what: string
  variants: Record<string, { about: string; options: string[] }>
  constants: Record<string, { about: string; value: number }>
}
export const MAXIMUM_PAGES: number
export const KERNEL_MODULES: KernelModule[]
export function entryFiles(sources: string): string[]
export function compileKernels(module: KernelModule, variant: string): Promise<Uint8Array>
export function kernelModuleText(module: KernelModule): Promise<string>
