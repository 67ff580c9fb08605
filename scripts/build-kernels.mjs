#!/usr/bin/env node
/* `npm run kernels:build`: compiles the AssemblyScript kernels and writes the generated module. */
import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { KERNEL_MODULE, kernelModuleText } from './lib/kernel-build.mjs'

const target = resolve(import.meta.dirname, '..', KERNEL_MODULE)
writeFileSync(target, await kernelModuleText())
console.log(`kernels: wrote ${KERNEL_MODULE}`)
