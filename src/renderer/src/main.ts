import '../../engine/hosts/jitless-zod'
import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { createAppRouter } from './router'
import { createAppI18n, initialLocale } from './i18n'
import { connectEngine } from './engine-client/connect'
import { useEngineStore } from './stores/engine'
import { useCurrentRunStore } from './stores/current-run'
import { useRunLibraryStore } from './stores/run-library'
import { useQueueStore } from './stores/queue'
import { useConvStore } from './stores/conv'
import { useModelsStore } from './stores/models'
import { useWeightsStore } from './stores/weights'
import { useEmbeddingStore } from './stores/embedding'
import { useLandscapeStore } from './stores/landscape'
import { createRunStorage } from './lib/storage'
import { UI_UPDATE_INTERVAL_MS, uiUpdates } from './lib/update-coalescer'
import { enableChartFrameQueue } from './components/charts/frame-queue'
import './styles.css'

// Connect first, synchronously: in Electron the engine's port may be posted as soon as the page loads.
const connection = connectEngine()

const locale = initialLocale()
document.documentElement.lang = locale

const app = createApp(App)
const pinia = createPinia()
app.use(pinia)
app.use(createAppRouter())
app.use(createAppI18n(locale))

// However often the engine reports, the views redraw at most ~12 times a second (see update-coalescer.ts).
uiUpdates.setInterval(UI_UPDATE_INTERVAL_MS)
// …and never more than one chart in the same frame.
enableChartFrameQueue(true)

// Saved runs: IndexedDB in a browser, the user-data folder in Electron. Listed as soon as they are read.
const runs = useRunLibraryStore(pinia)
runs.attachStorage(createRunStorage())
void runs.load()

// The run store subscribes before the engine store starts the connection, so no early event is missed.
useCurrentRunStore(pinia).attach(connection)
// The Convolution view needs the layers of a run started while another view was open.
useConvStore(pinia).attach(connection)
// Filter snapshots and end-of-run weight summaries are kept with every run, whichever view is open.
useWeightsStore(pinia).attach(connection)
useEmbeddingStore(pinia).attach(connection)
useLandscapeStore(pinia).attach(connection)
// The model library: saved models, their evaluation, export and the model the draw view asks.
useModelsStore(pinia).attach(connection.client)
useEngineStore(pinia).attach(connection)
// The queue starts its next run whenever the engine is free, whichever view is open.
useQueueStore(pinia)

app.mount('#app')
