import './zod-config'
// weapp: registers the silent sign-in (Taro.login -> /auth/wechat) before any page makes a request (reauth.weapp.ts).
import './services/reauth'
import type { PropsWithChildren } from 'react'
import './theme.css'
import './app.css'

// Taro renders each page as `children`; app-wide providers go here.
function App({ children }: PropsWithChildren) {
  return children
}

export default App
