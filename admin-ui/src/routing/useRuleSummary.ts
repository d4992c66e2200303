import { type Identifier, type RaRecord, useGetManyAggregate, useTranslate } from 'react-admin'
import { useCategoryName } from '../categories/useCategoryName.ts'
import type { Category, Office, Queue } from '../types.ts'
import { presetOf, type RoutingActions, type RoutingConditions } from './ruleForm.ts'
import { useAreaPresets } from './useAreaPresets.ts'

interface Named extends RaRecord {
  name: string
}

/** A lookup of names for the ids of one resource, fetched together with every other row's (aggregated). */
function useNames<T extends RaRecord>(
  resource: string,
  ids: readonly (Identifier | null | undefined)[],
  nameOf: (record: T) => string,
): (id: Identifier) => string {
  const wanted = [...new Set(ids.filter((id): id is Identifier => id != null))]
  const { data } = useGetManyAggregate<T>(
    resource,
    { ids: wanted },
    { enabled: wanted.length > 0, retry: false },
  )
  return (id) => {
    const record = data?.find((r) => r.id === id)
    return record ? nameOf(record) : `#${id}`
  }
}

/** "If channel Email; words: at least one of «buca»" — the conditions of a rule in one line. */
export function useConditionsSummary(conditions: RoutingConditions | undefined): string {
  const translate = useTranslate()
  const categoryName = useCategoryName()
  const { presets } = useAreaPresets()
  const c = conditions ?? {}
  const categories = useNames<Category>('categories', c.categoryIds ?? [], categoryName)
  const or = translate('routing.summary.or')
  const quoted = (words: readonly string[]) =>
    words.map((text) => translate('routing.summary.quote', { text })).join(', ')
  const parts: string[] = []
  if (c.channel)
    parts.push(
      translate('routing.summary.channel', {
        list: c.channel.map((ch) => translate(`case.channel.${ch}`)).join(or),
      }),
    )
  if (c.categoryIds)
    parts.push(translate('routing.summary.category', { list: c.categoryIds.map(categories).join(or) }))
  if (c.words?.any) parts.push(translate('routing.summary.wordsAny', { list: quoted(c.words.any) }))
  if (c.words?.all) parts.push(translate('routing.summary.wordsAll', { list: quoted(c.words.all) }))
  if (c.words?.none) parts.push(translate('routing.summary.wordsNone', { list: quoted(c.words.none) }))
  const contact = c.contact ?? {}
  if (contact.hasFiscalCode !== undefined)
    parts.push(translate(`routing.summary.${contact.hasFiscalCode ? 'hasFiscalCode' : 'noFiscalCode'}`))
  if (contact.isOrganisation !== undefined)
    parts.push(translate(`routing.summary.${contact.isOrganisation ? 'organisation' : 'person'}`))
  if (contact.language)
    parts.push(
      translate('routing.summary.language', { language: translate(`contact.language.${contact.language}`) }),
    )
  if (c.area)
    parts.push(
      translate('routing.summary.area', {
        area: presetOf(c.area, presets)?.name ?? translate('routing.area.customShort'),
      }),
    )
  const w = c.timeWindow
  if (w?.days)
    parts.push(
      translate('routing.summary.days', {
        days: w.days.map((d) => translate(`routing.weekdayShort.${d}`)).join(', '),
      }),
    )
  if (w?.from && w.to) parts.push(translate('routing.summary.between', { from: w.from, to: w.to }))
  else if (w?.from) parts.push(translate('routing.summary.from', { from: w.from }))
  else if (w?.to) parts.push(translate('routing.summary.to', { to: w.to }))
  return parts.length
    ? `${translate('routing.summary.when')} ${parts.join('; ')}`
    : translate('routing.summary.always')
}

/** "queue Strade, office Lavori Pubblici, priority High" — what a rule does, in one line. */
export function useActionsSummary(actions: RoutingActions | undefined): string {
  const translate = useTranslate()
  const categoryName = useCategoryName()
  const a = actions ?? {}
  const queues = useNames<Queue>('queues', [a.queueId], (q) => q.name)
  const offices = useNames<Office>('offices', [a.officeId], (o) => o.name)
  const categories = useNames<Category>('categories', [a.categoryId], categoryName)
  // SLA policies may not be served yet: their ids then stand for themselves.
  const slaPolicies = useNames<Named>('sla-policies', [a.slaPolicyId], (p) => p.name)
  const parts: string[] = []
  if (a.queueId) parts.push(translate('routing.summary.queue', { name: queues(a.queueId) }))
  if (a.officeId) parts.push(translate('routing.summary.office', { name: offices(a.officeId) }))
  if (a.categoryId) parts.push(translate('routing.summary.setCategory', { name: categories(a.categoryId) }))
  if (a.priority)
    parts.push(translate('routing.summary.priority', { priority: translate(`case.priority.${a.priority}`) }))
  if (a.slaPolicyId) parts.push(translate('routing.summary.sla', { name: slaPolicies(a.slaPolicyId) }))
  if (a.tags?.length) parts.push(translate('routing.summary.tags', { list: a.tags.join(', ') }))
  if (a.assignment)
    parts.push(
      translate('routing.summary.assignment', { strategy: translate(`routing.assignment.${a.assignment}`) }),
    )
  return parts.length ? parts.join(', ') : translate('routing.summary.none')
}
