/**
 * The memory layouts the TypeScript wrappers (f32/, f64/) write and the AssemblyScript kernels
 * (assembly/) read, declared once here and imported by both sides. Plain numeric constants only, so
 * the file is valid TypeScript and AssemblyScript alike (each constant is an i32 there, inlined by asc
 * as a load's immediate offset). Byte offsets unless the name says otherwise.
 */

// ---- float64 products' term lists (assembly/f64/products.ts writes and reads them) ----------------------
/** The most term-list bytes one reduction step takes (a four-row entry): f64/products.ts reserves this much per step. */
export const F64_LIST_BYTES_PER_TERM = 40
