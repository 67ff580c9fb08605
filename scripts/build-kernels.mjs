#!/usr/bin/env node
/* `npm run kernels:build`: compiles the AssemblyScript kernels and writes the generated modules. */
import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { KERNEL_MODULES, kernelModuleText } from './lib/kernel-build.mjs'

for (const module of KERNEL_MODULES) {
  writeFileSync(resolve(import.meta.dirname, '..', module.output), await kernelModuleText(module))
  console.log(`kernels: wrote ${module.output}`)
}
