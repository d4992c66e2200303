import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

/**
 * The API server serves the built console under /admin, so asset URLs are
 * built against that base. In dev, /api is proxied to the API on its usual
 * port so the session cookie stays same-origin.
 */
/** recharts and what only it uses. */
const CHART_LIBRARIES =
  /node_modules[\\/](recharts|d3-[a-z-]+|victory-vendor|@reduxjs|react-redux|redux|immer|reselect|decimal\.js-light|es-toolkit)[\\/]/

export default defineConfig({
  base: '/admin/',
  plugins: [react()],
  server: {
    port: 5173,
    proxy: {
      '/api': 'http://127.0.0.1:3000',
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rolldownOptions: {
      output: {
        // Libraries change less often than our code: separate chunks stay cached across deploys.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/, priority: 4 },
            { name: 'mui', test: /node_modules[\\/](@mui|@emotion)[\\/]/, priority: 3 },
            // Everything the console needs from the start, taken before the charts group so that
            // what both use stays here; the dashboard's chart libraries load with the dashboard only.
            {
              name: 'vendor',
              test: (id: string) => /node_modules[\\/]/.test(id) && !CHART_LIBRARIES.test(id),
              priority: 2,
            },
            { name: 'charts', test: CHART_LIBRARIES, priority: 1 },
          ],
        },
      },
    },
  },
})
