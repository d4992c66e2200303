import { createContext, type ReactNode, useContext, useEffect, useState } from 'react'
import { useRefresh } from 'react-admin'
import { RealtimeClient } from './realtimeClient.ts'

const RealtimeContext = createContext<RealtimeClient | null>(null)

/**
 * One realtime connection per tab, for everything under it. When the server says
 * the console missed too much, react-admin's data is read again — unless a form
 * holds a record being edited: reading it again would quietly move the version the
 * form saves against, so then each live view reloads itself and the form only says so.
 */
export const RealtimeProvider = ({ children }: { children: ReactNode }) => {
  const [client] = useState(() => new RealtimeClient())
  const refresh = useRefresh()

  useEffect(() => {
    client.start()
    return () => client.stop()
  }, [client])

  useEffect(
    () =>
      client.onReload(() => {
        if (!client.editing()) refresh()
      }),
    [client, refresh],
  )

  return <RealtimeContext.Provider value={client}>{children}</RealtimeContext.Provider>
}

/** The tab's realtime connection; null outside the provider (the login page). */
export const useRealtimeClient = (): RealtimeClient | null => useContext(RealtimeContext)
