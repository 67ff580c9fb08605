// Types of kernel-build.mjs for the TypeScript tests that import it.
export const KERNEL_SOURCE: string
export const KERNEL_MODULE: string
export const MAXIMUM_PAGES: number
export const VARIANTS: Record<'shared' | 'plain', string[]>
export function compileKernel(variant: 'shared' | 'plain'): Promise<Uint8Array>
export function kernelModuleText(): Promise<string>
