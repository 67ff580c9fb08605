import { useI18n } from 'vue-i18n'
import type { RunConfig } from '@engine/config/run-config'
import { useEngineStore } from '@renderer/stores/engine'
import { translatePresetText } from './preset-text'

/**
 * How runs are named on screen: a preset's own settings by the preset's title, edited settings as
 * "Custom (from <preset id>)", and a short line of the settings that tell runs apart (for legends).
 */
export function useRunLabels() {
  const { t, te, locale } = useI18n()
  const engine = useEngineStore()

  function option(key: string, raw: string): string {
    return te(key) ? t(key) : raw
  }

  function presetTitle(id: string): string {
    const title = engine.presets.find((p) => p.id === id)?.title
    return title ? translatePresetText(title, locale.value) : id
  }

  function runLabel(run: { presetId: string | null; custom: boolean }): string {
    if (!run.presetId) return t('run.customPlain')
    return run.custom ? t('run.customFrom', { preset: run.presetId }) : presetTitle(run.presetId)
  }

  function number(value: number, digits = 0): string {
    return new Intl.NumberFormat(locale.value, { maximumFractionDigits: digits }).format(value)
  }

  /** "[40, 20] ReLU · He · SGD lr 0.1 · batch 100 · 2,000 it." plus whatever else is switched on. */
  function configSummary(config: RunConfig): string {
    const parts: string[] = []
    const n = config.network
    if (n.kind === 'mlp') {
      const init = n.init === 'gauss' ? `${option('form.initOption.gauss', 'gauss')} σ=${n.initStd}` : option(`form.initOption.${n.init}`, n.init)
      parts.push(`[${n.hidden.join(', ')}] ${option(`settings.activation.${n.activation}`, n.activation)}`, init)
      if (n.normalization !== 'none') parts.push(option(`settings.normalizationKind.${n.normalization}`, n.normalization))
      if (n.dropout.ratio > 0) parts.push(`${t('settings.dropout')} ${n.dropout.ratio}`)
    } else if ('layers' in n && Array.isArray(n.layers)) {
      parts.push(layerListSummary(n.layers as { kind: string; filters?: number; units?: number; size?: number }[]))
    }
    parts.push(`${option(`settings.optimizerKind.${config.optimizer.kind}`, config.optimizer.kind)} ${t('summary.lr')} ${config.optimizer.lr}`)
    if (config.regularization.kind !== 'none') parts.push(`${config.regularization.kind.toUpperCase()} λ=${config.regularization.lambda}`)
    parts.push(t('summary.batch', { n: config.batchSize }), t('summary.iterations', { n: number(config.iterations) }))
    if (config.trainLimit !== undefined) parts.push(t('summary.trainLimit', { n: number(config.trainLimit) }))
    return parts.join(' · ')
  }

  /** A layer-list network in one line: "conv30×5 relu maxpool affine100 relu affine10". */
  function layerListSummary(layers: { kind: string; filters?: number; units?: number; size?: number }[]): string {
    return layers.map((l) => (l.kind === 'conv2d' ? `conv${l.filters}×${l.size}` : l.kind === 'affine' ? `affine${l.units}` : l.kind)).join(' ')
  }

  function statusLabel(status: string): string {
    return option(`runs.status.${status}`, status)
  }

  return { runLabel, presetTitle, configSummary, statusLabel, number }
}
