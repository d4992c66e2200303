import {
  Alert,
  Box,
  Card,
  CardContent,
  CardHeader,
  CircularProgress,
  MenuItem,
  TextField,
  ToggleButton,
  ToggleButtonGroup,
  Typography,
} from '@mui/material'
import { type ReactNode, useMemo, useState } from 'react'
import { Title, useLocaleState, useTranslate } from 'react-admin'
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts'
import { intlLocale } from '../i18n/index.ts'
import { romeDay, type StatsBucket, type StatsRange, statsApi, type VolumeDimension } from './statsApi.ts'
import { useStats } from './useStats.ts'

/** Colour-blind-safe palette (Okabe–Ito), then grey for "the rest". */
const COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442']
const REST = '#9e9e9e'
const TOP_GROUPS = 6
const HEIGHT = 280

/** Formats of the console's locale: numbers, shares and period labels. */
const useFormats = () => {
  const [locale = 'it'] = useLocaleState()
  const tag = intlLocale(locale)
  return useMemo(() => {
    const number = new Intl.NumberFormat(tag)
    const percent = new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 1 })
    const day = new Intl.DateTimeFormat(tag, { day: 'numeric', month: 'short', timeZone: 'UTC' })
    const month = new Intl.DateTimeFormat(tag, { month: 'short', year: 'numeric', timeZone: 'UTC' })
    return {
      number: (n: number) => number.format(n),
      percent: (n: number | null) => (n === null ? '—' : percent.format(n)),
      period: (period: string, bucket: StatsBucket) =>
        (bucket === 'month' ? month : day).format(new Date(`${period}T00:00:00Z`)),
    }
  }, [tag])
}

const share = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null)

const ChartCard = ({
  id,
  title,
  subheader,
  action,
  loading,
  error,
  empty,
  children,
}: {
  id: string
  title: string
  subheader?: string
  action?: ReactNode
  loading: boolean
  error: unknown
  empty: boolean
  children: ReactNode
}) => {
  const translate = useTranslate()
  return (
    <Card component="section" aria-labelledby={`${id}-title`} data-testid={id} sx={{ minWidth: 0 }}>
      <CardHeader
        title={title}
        subheader={subheader}
        action={action}
        slotProps={{ title: { id: `${id}-title`, variant: 'h6', component: 'h2' } }}
      />
      <CardContent sx={{ height: HEIGHT, pt: 0 }}>
        {loading ? (
          <Box sx={{ display: 'flex', justifyContent: 'center', alignItems: 'center', height: '100%' }}>
            <CircularProgress size={28} aria-label={translate('ra.page.loading')} />
          </Box>
        ) : error ? (
          <Alert severity="error">
            {error instanceof Error ? error.message : translate('dashboard.error')}
          </Alert>
        ) : empty ? (
          <Typography color="text.secondary">{translate('dashboard.empty')}</Typography>
        ) : (
          children
        )}
      </CardContent>
    </Card>
  )
}

/** Cases opened per period, stacked by channel, category or office (the largest six, then the rest). */
const VolumesChart = ({ range }: { range: StatsRange }) => {
  const translate = useTranslate()
  const f = useFormats()
  const [by, setBy] = useState<VolumeDimension>('channel')
  const { data, isPending, error } = useStats(JSON.stringify(['stats', 'volumes', range, by]), () =>
    statsApi.volumes(range, by),
  )
  const { rows, series } = useMemo(() => {
    if (!data) return { rows: [], series: [] }
    const top = data.groups.slice(0, TOP_GROUPS)
    const named = new Set(top.map((g) => g.key))
    const label = (key: string, raw: string) =>
      by === 'channel' ? translate(`case.channel.${key}`, { _: raw }) : raw
    const series = top.map((g, i) => ({
      key: g.key,
      name: label(g.key, g.label),
      colour: COLOURS[i % COLOURS.length] as string,
    }))
    if (data.groups.length > TOP_GROUPS)
      series.push({ key: 'rest', name: translate('dashboard.volumes.rest'), colour: REST })
    const byPeriod = new Map<string, Record<string, number | string>>()
    for (const p of data.points) {
      const row = byPeriod.get(p.period) ?? { period: f.period(p.period, data.bucket) }
      const key = named.has(p.key) ? p.key : 'rest'
      row[key] = Number(row[key] ?? 0) + p.count
      byPeriod.set(p.period, row)
    }
    return { rows: [...byPeriod.values()], series }
  }, [data, by, translate, f])
  return (
    <ChartCard
      id="chart-volumes"
      title={translate('dashboard.volumes.title')}
      subheader={data ? translate('dashboard.volumes.total', { count: f.number(data.total) }) : undefined}
      loading={isPending}
      error={error}
      empty={rows.length === 0}
      action={
        <ToggleButtonGroup
          size="small"
          exclusive
          value={by}
          onChange={(_, value: VolumeDimension | null) => value && setBy(value)}
          aria-label={translate('dashboard.volumes.by')}
        >
          {(['channel', 'category', 'office'] as const).map((d) => (
            <ToggleButton key={d} value={d}>
              {translate(`dashboard.volumes.${d}`)}
            </ToggleButton>
          ))}
        </ToggleButtonGroup>
      }
    >
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={rows}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="period" fontSize={12} />
          <YAxis allowDecimals={false} tickFormatter={f.number} fontSize={12} />
          <Tooltip formatter={(v) => f.number(Number(v))} />
          <Legend />
          {series.map((s) => (
            <Bar
              key={s.key}
              dataKey={s.key}
              name={s.name}
              stackId="cases"
              fill={s.colour}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </ChartCard>
  )
}

/** Share of deadlines met per period (resolution and first response), and per office. */
const SlaCharts = ({ range }: { range: StatsRange }) => {
  const translate = useTranslate()
  const f = useFormats()
  const { data, isPending, error } = useStats(JSON.stringify(['stats', 'sla', range]), () =>
    statsApi.sla(range),
  )
  const periods = (data?.byPeriod ?? []).map((p) => ({
    period: f.period(p.period, data?.bucket ?? 'week'),
    resolution: share(p.resolution.met, p.resolution.met + p.resolution.breached),
    firstResponse: share(p.firstResponse.met, p.firstResponse.met + p.firstResponse.breached),
  }))
  const offices = (data?.byOffice ?? []).map((o) => ({
    office: o.officeId === null ? translate('dashboard.noOffice') : o.office,
    resolution: share(o.resolution.met, o.resolution.met + o.resolution.breached),
    firstResponse: share(o.firstResponse.met, o.firstResponse.met + o.firstResponse.breached),
  }))
  const total = data?.total
  const subheader = total
    ? translate('dashboard.sla.summary', {
        resolution: f.percent(share(total.resolution.met, total.resolution.met + total.resolution.breached)),
        firstResponse: f.percent(
          share(total.firstResponse.met, total.firstResponse.met + total.firstResponse.breached),
        ),
        pending: f.number(total.resolution.pending),
      })
    : undefined
  const percentAxis = (v: number) => f.percent(v)
  const tooltip = (v: unknown) => f.percent(typeof v === 'number' ? v : null)
  return (
    <>
      <ChartCard
        id="chart-sla-period"
        title={translate('dashboard.sla.byPeriod')}
        subheader={subheader}
        loading={isPending}
        error={error}
        empty={periods.length === 0}
      >
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={periods}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="period" fontSize={12} />
            <YAxis domain={[0, 1]} tickFormatter={percentAxis} fontSize={12} />
            <Tooltip formatter={tooltip} />
            <Legend />
            <Line
              dataKey="resolution"
              name={translate('dashboard.sla.resolution')}
              stroke={COLOURS[0]}
              strokeWidth={2}
              connectNulls
              isAnimationActive={false}
            />
            <Line
              dataKey="firstResponse"
              name={translate('dashboard.sla.firstResponse')}
              stroke={COLOURS[1]}
              strokeWidth={2}
              connectNulls
              isAnimationActive={false}
            />
          </LineChart>
        </ResponsiveContainer>
      </ChartCard>
      <ChartCard
        id="chart-sla-office"
        title={translate('dashboard.sla.byOffice')}
        subheader={translate('dashboard.sla.help')}
        loading={isPending}
        error={error}
        empty={offices.length === 0}
      >
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={offices} layout="vertical" margin={{ left: 24 }}>
            <CartesianGrid strokeDasharray="3 3" horizontal={false} />
            <XAxis type="number" domain={[0, 1]} tickFormatter={percentAxis} fontSize={12} />
            <YAxis type="category" dataKey="office" width={160} fontSize={11} interval={0} />
            <Tooltip formatter={tooltip} />
            <Legend />
            <Bar
              dataKey="resolution"
              name={translate('dashboard.sla.resolution')}
              fill={COLOURS[0]}
              isAnimationActive={false}
            />
            <Bar
              dataKey="firstResponse"
              name={translate('dashboard.sla.firstResponse')}
              fill={COLOURS[1]}
              isAnimationActive={false}
            />
          </BarChart>
        </ResponsiveContainer>
      </ChartCard>
    </>
  )
}

/** Open cases now by age, the unassigned ones apart. */
const BacklogChart = () => {
  const translate = useTranslate()
  const f = useFormats()
  const { data, isPending, error } = useStats(JSON.stringify(['stats', 'backlog']), statsApi.backlog)
  const rows = (data?.buckets ?? []).map((b) => ({
    bucket: translate(`dashboard.backlog.bucket.${b.bucket}`),
    assigned: b.count - b.unassigned,
    unassigned: b.unassigned,
  }))
  return (
    <ChartCard
      id="chart-backlog"
      title={translate('dashboard.backlog.title')}
      subheader={data ? translate('dashboard.backlog.total', { count: f.number(data.total) }) : undefined}
      loading={isPending}
      error={error}
      empty={!data || data.total === 0}
    >
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={rows}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="bucket" fontSize={12} />
          <YAxis allowDecimals={false} tickFormatter={f.number} fontSize={12} />
          <Tooltip formatter={(v) => f.number(Number(v))} />
          <Legend />
          <Bar
            dataKey="assigned"
            name={translate('dashboard.backlog.assigned')}
            stackId="open"
            fill={COLOURS[0]}
            isAnimationActive={false}
          />
          <Bar
            dataKey="unassigned"
            name={translate('dashboard.backlog.unassigned')}
            stackId="open"
            fill={COLOURS[5]}
            isAnimationActive={false}
          />
        </BarChart>
      </ResponsiveContainer>
    </ChartCard>
  )
}

/** First-contact resolution per period: cases the call centre closed at once, of those it opened. */
const FirstContactChart = ({ range }: { range: StatsRange }) => {
  const translate = useTranslate()
  const f = useFormats()
  const { data, isPending, error } = useStats(JSON.stringify(['stats', 'first-contact', range]), () =>
    statsApi.firstContact(range),
  )
  const rows = (data?.byPeriod ?? []).map((p) => ({
    period: f.period(p.period, data?.bucket ?? 'week'),
    resolved: p.resolved,
    other: p.eligible - p.resolved,
  }))
  return (
    <ChartCard
      id="chart-first-contact"
      title={translate('dashboard.firstContact.title')}
      subheader={
        data
          ? translate('dashboard.firstContact.summary', {
              rate: f.percent(share(data.total.resolved, data.total.eligible)),
              resolved: f.number(data.total.resolved),
              eligible: f.number(data.total.eligible),
            })
          : undefined
      }
      loading={isPending}
      error={error}
      empty={rows.length === 0}
    >
      <ResponsiveContainer width="100%" height="85%">
        <BarChart data={rows}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="period" fontSize={12} />
          <YAxis allowDecimals={false} tickFormatter={f.number} fontSize={12} />
          <Tooltip formatter={(v) => f.number(Number(v))} />
          <Legend />
          <Bar
            dataKey="resolved"
            name={translate('dashboard.firstContact.resolved')}
            stackId="fcr"
            fill={COLOURS[2]}
            isAnimationActive={false}
          />
          <Bar
            dataKey="other"
            name={translate('dashboard.firstContact.other')}
            stackId="fcr"
            fill={REST}
            isAnimationActive={false}
          />
        </BarChart>
      </ResponsiveContainer>
      <Typography variant="caption" color="text.secondary">
        {translate('dashboard.firstContact.definition', { minutes: data?.windowMinutes ?? 30 })}
      </Typography>
    </ChartCard>
  )
}

const BUCKETS: readonly StatsBucket[] = ['day', 'week', 'month']

/**
 * The supervisors' home: volumes, SLA compliance, backlog age and first-contact
 * resolution over a range of at most a year (the API's limit), in Rome's days.
 */
export const DashboardPage = () => {
  const translate = useTranslate()
  const [range, setRange] = useState<StatsRange>(() => ({
    from: romeDay(-83),
    to: romeDay(0),
    bucket: 'week',
  }))
  const valid = range.from !== '' && range.to !== '' && range.from <= range.to
  return (
    <Box sx={{ p: 2, display: 'flex', flexDirection: 'column', gap: 2 }}>
      <Title title={translate('dashboard.title')} />
      <Box
        component="form"
        aria-label={translate('dashboard.range')}
        sx={{ display: 'flex', gap: 2, flexWrap: 'wrap', alignItems: 'center' }}
        onSubmit={(e) => e.preventDefault()}
      >
        <Typography variant="h5" component="h1" sx={{ flexGrow: 1 }}>
          {translate('dashboard.title')}
        </Typography>
        <TextField
          type="date"
          size="small"
          label={translate('dashboard.from')}
          value={range.from}
          onChange={(e) => setRange((r) => ({ ...r, from: e.target.value }))}
          slotProps={{ inputLabel: { shrink: true } }}
          sx={{ width: 180 }}
          fullWidth={false}
        />
        <TextField
          type="date"
          size="small"
          label={translate('dashboard.to')}
          value={range.to}
          onChange={(e) => setRange((r) => ({ ...r, to: e.target.value }))}
          slotProps={{ inputLabel: { shrink: true } }}
          sx={{ width: 180 }}
          fullWidth={false}
        />
        <TextField
          select
          size="small"
          label={translate('dashboard.bucket.label')}
          value={range.bucket}
          onChange={(e) => setRange((r) => ({ ...r, bucket: e.target.value as StatsBucket }))}
          sx={{ width: 160 }}
          fullWidth={false}
        >
          {BUCKETS.map((b) => (
            <MenuItem key={b} value={b}>
              {translate(`dashboard.bucket.${b}`)}
            </MenuItem>
          ))}
        </TextField>
      </Box>
      {!valid && <Alert severity="warning">{translate('dashboard.invalidRange')}</Alert>}
      <Box
        sx={{
          display: 'grid',
          gap: 2,
          gridTemplateColumns: { xs: '1fr', lg: 'repeat(2, minmax(0, 1fr))' },
        }}
      >
        {valid && <VolumesChart range={range} />}
        <BacklogChart />
        {valid && <SlaCharts range={range} />}
        {valid && <FirstContactChart range={range} />}
      </Box>
    </Box>
  )
}

export default DashboardPage
