import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { createAppRouter } from './router'
import { createAppI18n, initialLocale } from './i18n'
import { connectEngine } from './engine/connect'
import { useEngineStore } from './stores/engine'
import { useRunStore } from './stores/run'
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

// The run store subscribes before the engine store starts the connection, so no early event is missed.
useRunStore(pinia).attach(connection)
useEngineStore(pinia).attach(connection)

app.mount('#app')
