import { useEffect, useRef, useState } from 'react'
import { useGetIdentity } from 'react-admin'
import { useRealtimeClient } from './RealtimeProvider.tsx'
import type { LiveEvent, RealtimeStatus } from './realtimeClient.ts'

/** Case event types the workers' feed publishes (a timeline event each). */
export const CASE_EVENT_TYPES = [
  'case.created',
  'case.updated',
  'case.assigned',
  'message.received',
  'sla.warning',
  'sla.breach',
] as const

/** The case a live event is about, if any. */
export const caseIdOf = (event: LiveEvent): number | undefined => {
  const id = event.case?.id ?? event.data.caseId
  return typeof id === 'number' ? id : undefined
}

/** Calls `handler` with every live event of the given types (all of them when none is given). */
export function useLiveEvent(handler: (event: LiveEvent) => void, types?: readonly string[]): void {
  const client = useRealtimeClient()
  const ref = useRef(handler)
  ref.current = handler
  const key = types?.join(',') ?? ''
  useEffect(() => {
    if (!client) return
    const wanted = key ? new Set(key.split(',')) : null
    return client.onEvent((event) => {
      if (!wanted || wanted.has(event.type)) ref.current(event)
    })
  }, [client, key])
}

/** Calls `handler` when the server says this console missed too much and must read its data again. */
export function useLiveReload(handler: () => void): void {
  const client = useRealtimeClient()
  const ref = useRef(handler)
  ref.current = handler
  useEffect(() => client?.onReload(() => ref.current()), [client])
}

/** Where the connection stands. */
export function useRealtimeStatus(): RealtimeStatus {
  const client = useRealtimeClient()
  const [status, setStatus] = useState<RealtimeStatus>(client?.status ?? 'offline')
  useEffect(() => {
    if (!client) return
    setStatus(client.status)
    return client.onStatus(setStatus)
  }, [client])
  return status
}

/**
 * A refetch run at most once per `delayMs` however many events ask for it (a burst
 * of changes is one reload), and never later than `delayMs` after the first ask.
 */
export function useDebounced(run: () => void, delayMs: number): () => void {
  const ref = useRef(run)
  ref.current = run
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current)
    },
    [],
  )
  const [ask] = useState(() => () => {
    if (timer.current) return
    timer.current = setTimeout(() => {
      timer.current = null
      ref.current()
    }, delayMs)
  })
  return ask
}

/** Follows queue channels (call.ringing…) while mounted. */
export function useFollowQueues(ids: readonly number[]): void {
  const client = useRealtimeClient()
  const key = [...ids].sort((a, b) => a - b).join(',')
  useEffect(() => {
    if (!client || !key) return
    return client.followQueues(key.split(',').map(Number))
  }, [client, key])
}

/** Marks an edit form open while mounted (see RealtimeProvider). */
export function useHoldEdit(): void {
  const client = useRealtimeClient()
  useEffect(() => client?.holdEdit(), [client])
}

export interface Viewer {
  id: number
  name: string
}

/** Says this console is viewing the case while mounted; answers who else is viewing it. */
export function useCaseViewers(caseId: number | undefined): Viewer[] {
  const client = useRealtimeClient()
  const { identity } = useGetIdentity()
  const [viewers, setViewers] = useState<Viewer[]>([])
  useEffect(() => {
    setViewers([])
    if (!client || caseId === undefined) return
    return client.view(caseId)
  }, [client, caseId])
  useLiveEvent(
    (event) => {
      if (event.data.caseId !== caseId || !Array.isArray(event.data.viewers)) return
      setViewers(event.data.viewers as Viewer[])
    },
    ['case.viewers'],
  )
  const me = identity?.id
  return viewers.filter((v) => v.id !== me)
}
