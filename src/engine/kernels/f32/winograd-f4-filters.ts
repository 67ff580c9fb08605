/**
 * F(4×4, 3×3)'s transformed filters (U = G g Gᵀ, packed into the products' panels) kept from one
 * inference call to the next: an evaluation forwards its images 100 at a time with weights that do not
 * change, and each chunk transformed them again (3–4 % of cnn-deep's evaluation).
 *
 * They are used only while the weights hold exactly the bits they were made from (a copy is kept and
 * compared, all of it, on every call), so nothing that changes the weights — an optimizer step, a load,
 * a resume, an edit — can leave them stale, whether or not it says so.
 */
import type { KernelMemory } from './kernel-memory'

export class KeptFilters {
  /** The weights' bits the panels were made from; null while the panels hold nothing usable. */
  private source: Uint32Array | null = null
  private panels: Float32Array | null = null

  /**
   * A resident array of `floats` for the packed panels (the one kept when it still fits and is resident,
   * else a new one, whose contents are then unknown), or null when the memory has no room for it.
   */
  panelsFor(mem: KernelMemory, floats: number): Float32Array | null {
    if (this.panels && this.panels.length === floats && mem.isResident(this.panels)) return this.panels
    this.source = null
    this.panels = mem.resident(floats) ?? null
    return this.panels
  }

  /** Whether the panels hold the transforms of exactly these weights (every bit, NaN and −0 included). */
  holds(w: Float32Array): boolean {
    const source = this.source
    if (!source || source.length !== w.length) return false
    const bits = new Uint32Array(w.buffer, w.byteOffset, w.length)
    for (let i = 0; i < bits.length; i++) if (bits[i] !== source[i]) return false
    return true
  }

  /** The panels now hold the transforms of `w` (as it is now). */
  remember(w: Float32Array): void {
    this.source = new Uint32Array(w.buffer.slice(w.byteOffset, w.byteOffset + w.byteLength))
  }

  /** The panels no longer hold anything usable (a transform under way may leave them half written). */
  forget(): void {
    this.source = null
  }
}
