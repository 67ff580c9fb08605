// Types of electron-binary.mjs for the TypeScript e2e spec that imports it.
export type ElectronLookup = { binary: string } | { missing: string }
export function findElectronBinary(root: string): ElectronLookup
export function displayProblem(): string | undefined
