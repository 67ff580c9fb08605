/**
 * The memory layouts the TypeScript wrappers (f32/, f64/) write and the AssemblyScript kernels
 * (assembly/) read, declared once here and imported by both sides. Plain numeric constants only, so
 * the file is valid TypeScript and AssemblyScript alike (each constant is an i32 there, inlined by asc
 * as a load's immediate offset). Byte offsets unless the name says otherwise.
 */

// ---- A convolution's geometry (ten i32): im2col, col2im, max pooling, Winograd's input ---------------
export const GEOMETRY_N = 0
export const GEOMETRY_C = 4
export const GEOMETRY_H = 8
export const GEOMETRY_W = 12
export const GEOMETRY_FH = 16
export const GEOMETRY_FW = 20
export const GEOMETRY_STRIDE = 24
export const GEOMETRY_PAD = 28
export const GEOMETRY_OH = 32
export const GEOMETRY_OW = 36
export const GEOMETRY_BYTES = 40

// ---- A Winograd chunk's plan: the geometry, then these i32 -------------------------------------------
/** Filters of the convolution. */
export const WINOGRAD_FILTERS = 40
/** Floats from one transformed-input matrix V[ξν] to the next (the chunk's tiles × channels, spread: winograd-input.ts). */
export const WINOGRAD_V_MATRIX = 44
/** Floats per product matrix M[ξν] (forward: tiles × filters; 0, unused, in the weight gradient). */
export const WINOGRAD_M_MATRIX = 48
/** Floats per packed-panel matrix U[ξν]. */
export const WINOGRAD_U_PANELS = 52
/** The chunk's tiles (rows of V, and of U in the weight gradient). */
export const WINOGRAD_TILES = 56
/** Weight gradient only: floats per accumulated M[ξν] (channels × filters). */
export const WINOGRAD_GRAD_M_MATRIX = 60
/** Weight gradient by F(4×4, 3×3)'s transforms only: floats from one channel's row of V to the next (the chunk's tiles, or the batch's when V is the forward pass's). */
export const WINOGRAD_V_ROWS = 64
export const WINOGRAD_PLAN_BYTES = 68

// ---- Packed panels of a float32 product's right operand ---------------------------------------------
/** Columns per panel (each reduction step's values side by side, zero-padded at the right edge). */
export const F32_PANEL_COLUMNS = 8

// ---- Listed non-zero terms of a float32 row: (index: i32, value: f32) pairs ---------------------------
export const TERM_INDEX = 0
export const TERM_VALUE = 4
export const TERM_BYTES = 8

// ---- float64 products' term lists (assembly/f64/products.ts writes and reads them) ----------------------
/** The most term-list bytes one reduction step takes (a four-row entry): f64/products.ts reserves this much per step. */
export const F64_LIST_BYTES_PER_TERM = 40
