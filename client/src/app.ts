import './zod-config'
import type { PropsWithChildren } from 'react'
import './theme.css'
import './app.css'

// Taro renders each page as `children`; app-wide providers go here.
function App({ children }: PropsWithChildren) {
  return children
}

export default App
