/**
 * Imported first by the browser entries (the renderer and the engine's Web Worker): zod would otherwise
 * probe `new Function('')` to decide whether to compile its object parsers, which the app's CSP (no
 * 'unsafe-eval') refuses and reports as a violation. Parsing is the same either way.
 */
import { z } from 'zod'

z.config({ jitless: true })
