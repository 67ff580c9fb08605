/// <reference types="vite/client" />

/*
 * The bridge the Electron preload exposes as `window.gradientLab`. Its contract lives with the preload
 * (src/preload/api.d.ts, type-only); this file only makes it a property of Window for the renderer.
 */
type GradientLabBridge = import('../../preload/api').GradientLabApi
type GradientLabEngineStatus = import('../../preload/api').EngineStatus

interface Window {
  gradientLab?: GradientLabBridge
}
