import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router'
import TrainView from './views/TrainView.vue'
import CompareView from './views/CompareView.vue'
import GradientsView from './views/GradientsView.vue'
import ConvolutionView from './views/ConvolutionView.vue'
import RegularizationView from './views/RegularizationView.vue'
import OptimizersView from './views/OptimizersView.vue'
import WeightsView from './views/WeightsView.vue'
import LandscapeView from './views/LandscapeView.vue'
import ModelsView from './views/ModelsView.vue'
import DrawView from './views/DrawView.vue'
import DataView from './views/DataView.vue'
import ExplainView from './views/ExplainView.vue'
import EmbeddingView from './views/EmbeddingView.vue'
import SweepsView from './views/SweepsView.vue'

/*
 * Hash history: the app is loaded from file:// in Electron and from a plain static server in the browser,
 * and neither can answer deep paths with index.html.
 */
export const routes: RouteRecordRaw[] = [
  { path: '/', redirect: '/train' },
  { path: '/train', name: 'train', component: TrainView },
  { path: '/compare', name: 'compare', component: CompareView },
  { path: '/gradients', name: 'gradients', component: GradientsView },
  { path: '/convolution', name: 'convolution', component: ConvolutionView },
  { path: '/regularization', name: 'regularization', component: RegularizationView },
  { path: '/optimizers', name: 'optimizers', component: OptimizersView },
  { path: '/weights', name: 'weights', component: WeightsView },
  { path: '/landscape', name: 'landscape', component: LandscapeView },
  { path: '/models', name: 'models', component: ModelsView },
  { path: '/draw', name: 'draw', component: DrawView },
  { path: '/explain', name: 'explain', component: ExplainView },
  { path: '/embedding', name: 'embedding', component: EmbeddingView },
  { path: '/sweeps', name: 'sweeps', component: SweepsView },
  { path: '/data', name: 'data', component: DataView },
  { path: '/:pathMatch(.*)*', redirect: '/train' }
]

export function createAppRouter() {
  return createRouter({ history: createWebHashHistory(), routes })
}
