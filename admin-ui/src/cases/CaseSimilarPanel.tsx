import MergeIcon from '@mui/icons-material/CallMergeOutlined'
import LinkIcon from '@mui/icons-material/LinkOutlined'
import {
  Box,
  Button,
  Chip,
  Link,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material'
import { useState } from 'react'
import {
  Confirm,
  useDataProvider,
  useGetManyReference,
  useLocaleState,
  useNotify,
  useRecordContext,
  useRefresh,
  useTranslate,
} from 'react-admin'
import type { FiloDataProvider } from '../dataProvider.ts'
import { formatDateTime, formatNumber } from '../fields/format.ts'
import {
  CASE_EVENT_TYPES,
  caseIdOf,
  useDebounced,
  useLiveEvent,
  useLiveReload,
} from '../realtime/useRealtime.ts'
import type { Case, SimilarCase } from '../types.ts'
import { useMergeCase } from './CaseMergeButton.tsx'

/** How long a burst of case events is gathered before the suggestions are asked for again. */
const LIVE_DEBOUNCE_MS = 1000

/**
 * "Possibili duplicati": cases with the same contact, a point nearby or a similar
 * subject, likeliest first, each with why; this case can be merged into one of them
 * (after confirming) or linked to it as its duplicate.
 */
export const CaseSimilarPanel = () => {
  const record = useRecordContext<Case>()
  const dataProvider = useDataProvider<FiloDataProvider>()
  const notify = useNotify()
  const refresh = useRefresh()
  const mergeCase = useMergeCase()
  const translate = useTranslate()
  const [locale] = useLocaleState()
  const [merging, setMerging] = useState<SimilarCase>()
  const [busy, setBusy] = useState(false)
  const {
    data = [],
    isPending,
    refetch,
  } = useGetManyReference<SimilarCase>(
    'case-similar',
    {
      target: 'caseId',
      id: record?.id,
      pagination: { page: 1, perPage: 10 },
      sort: { field: 'score', order: 'DESC' },
    },
    { enabled: record !== undefined && !record.mergedIntoId },
  )
  // A new case may be a duplicate, and a suggested one may have been merged or closed meanwhile.
  const again = useDebounced(() => void refetch(), LIVE_DEBOUNCE_MS)
  useLiveEvent((event) => {
    const id = caseIdOf(event)
    if (id === undefined) return
    if (event.type === 'case.created' || id === record?.id || data.some((s) => s.id === id)) again()
  }, CASE_EVENT_TYPES)
  useLiveReload(again)
  if (!record) return null

  const metres = (distance: number) => `${formatNumber(distance, locale)} m`
  const failed = (error: unknown) =>
    notify(error instanceof Error ? error.message : 'ra.notification.http_error', { type: 'error' })

  const merge = async () => {
    if (!merging) return
    setBusy(true)
    if (await mergeCase(record, merging.id)) setMerging(undefined)
    setBusy(false)
  }

  const link = async (suggestion: SimilarCase) => {
    try {
      await dataProvider.addCaseLink(record.id, { kind: 'duplicate', targetId: suggestion.id })
      notify('case.similar.linked', { type: 'success', messageArgs: { number: suggestion.number } })
      refresh()
    } catch (error) {
      failed(error)
    }
  }

  if (record.mergedIntoId || (!isPending && data.length === 0)) {
    return (
      <Typography variant="body2" color="text.secondary">
        {translate('case.similar.empty')}
      </Typography>
    )
  }

  return (
    <Box>
      <Table size="small" aria-label={translate('case.similar.title')}>
        <TableHead>
          <TableRow>
            <TableCell>{translate('resources.cases.fields.number')}</TableCell>
            <TableCell>{translate('resources.cases.fields.subject')}</TableCell>
            <TableCell>{translate('resources.cases.fields.status')}</TableCell>
            <TableCell>{translate('case.similar.distance')}</TableCell>
            <TableCell>{translate('case.similar.reasons')}</TableCell>
            <TableCell>{translate('resources.cases.fields.createdAt')}</TableCell>
            <TableCell />
          </TableRow>
        </TableHead>
        <TableBody>
          {data.map((s) => (
            <TableRow key={s.id} data-case-number={s.number}>
              <TableCell sx={{ whiteSpace: 'nowrap' }}>
                <Link href={`#/cases/${s.id}/show`}>{s.number}</Link>
              </TableCell>
              <TableCell>{s.subject}</TableCell>
              <TableCell>{translate(`case.status.${s.status}`)}</TableCell>
              <TableCell>
                {s.distance === null ? '' : translate('case.similar.away', { distance: metres(s.distance) })}
              </TableCell>
              <TableCell>
                <Stack direction="row" sx={{ gap: 0.5, flexWrap: 'wrap' }}>
                  {s.reasons.map((reason) => (
                    <Chip
                      key={reason}
                      size="small"
                      color={reason === 'same_contact' ? 'primary' : 'default'}
                      label={translate(`case.similar.reason.${reason}`, {
                        distance: s.distance === null ? '' : metres(s.distance),
                      })}
                    />
                  ))}
                  {s.sameCategory && (
                    <Chip
                      size="small"
                      variant="outlined"
                      label={translate('case.similar.reason.same_category')}
                    />
                  )}
                </Stack>
              </TableCell>
              <TableCell>{formatDateTime(s.createdAt, locale)}</TableCell>
              <TableCell align="right">
                <Stack direction="row" sx={{ gap: 1, justifyContent: 'flex-end' }}>
                  <Button size="small" startIcon={<MergeIcon />} onClick={() => setMerging(s)}>
                    {translate('case.similar.merge')}
                  </Button>
                  <Button size="small" startIcon={<LinkIcon />} onClick={() => link(s)}>
                    {translate('case.similar.link')}
                  </Button>
                </Stack>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Confirm
        isOpen={merging !== undefined}
        loading={busy}
        title="case.similar.mergeTitle"
        content="case.similar.mergeHelp"
        titleTranslateOptions={{ number: record.number, target: merging?.number ?? '' }}
        contentTranslateOptions={{ number: record.number, target: merging?.number ?? '' }}
        confirm="case.merge.confirm"
        onConfirm={merge}
        onClose={() => setMerging(undefined)}
      />
    </Box>
  )
}
