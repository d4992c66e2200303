declare module 'ra-language-italian' {
  import type { StringMap } from 'react-admin'

  const italianMessages: StringMap
  export default italianMessages
}
