import DeleteIcon from '@mui/icons-material/LinkOffOutlined'
import LinkIcon from '@mui/icons-material/LinkOutlined'
import {
  Box,
  IconButton,
  Link,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Tooltip,
  Typography,
} from '@mui/material'
import {
  AutocompleteInput,
  Form,
  ReferenceInput,
  required,
  SaveButton,
  SelectInput,
  useDataProvider,
  useNotify,
  useRecordContext,
  useRefresh,
  useTranslate,
} from 'react-admin'
import type { FiloDataProvider } from '../dataProvider.ts'
import { useRelated } from '../fields/useRelated.ts'
import { CASE_LINK_KINDS, type Case, type CaseLink, type CaseLinkKind } from '../types.ts'
import { caseOption } from './CaseMergeButton.tsx'

const kindChoices = CASE_LINK_KINDS.map((id) => ({ id, name: `case.linkKind.${id}` }))

/** Duplicates, parent and children, related cases: listed, added with a case picker, removed. */
export const CaseLinksPanel = () => {
  const record = useRecordContext<Case>()
  const dataProvider = useDataProvider<FiloDataProvider>()
  const notify = useNotify()
  const refresh = useRefresh()
  const translate = useTranslate()
  const { data: links, isPending } = useRelated<CaseLink>('case-links', 'caseId', record?.id)
  if (!record) return null

  const failed = (error: unknown) =>
    notify(error instanceof Error ? error.message : 'ra.notification.http_error', { type: 'error' })

  const add = async (values: { kind?: CaseLinkKind; targetId?: number }) => {
    if (!values.kind || !values.targetId) return
    try {
      await dataProvider.addCaseLink(record.id, { kind: values.kind, targetId: values.targetId })
      notify('case.links.added', { type: 'success' })
      refresh()
    } catch (error) {
      failed(error)
    }
  }

  const remove = async (link: CaseLink) => {
    try {
      await dataProvider.removeCaseLink(record.id, link.id)
      notify('case.links.removed', { type: 'success' })
      refresh()
    } catch (error) {
      failed(error)
    }
  }

  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1 }}>
      {!isPending && links.length === 0 ? (
        <Typography variant="body2" color="text.secondary">
          {translate('case.links.empty')}
        </Typography>
      ) : (
        <Table size="small" aria-label={translate('case.links.title')}>
          <TableHead>
            <TableRow>
              <TableCell>{translate('case.links.relation')}</TableCell>
              <TableCell>{translate('resources.cases.fields.number')}</TableCell>
              <TableCell>{translate('resources.cases.fields.subject')}</TableCell>
              <TableCell>{translate('resources.cases.fields.status')}</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {links.map((link) => (
              <TableRow key={link.id}>
                <TableCell>{translate(`case.relation.${link.relation}`)}</TableCell>
                <TableCell>
                  <Link href={`#/cases/${link.caseId}/show`}>{link.number}</Link>
                </TableCell>
                <TableCell>{link.subject}</TableCell>
                <TableCell>{translate(`case.status.${link.status}`)}</TableCell>
                <TableCell align="right">
                  {!record.mergedIntoId && (
                    <Tooltip title={translate('case.links.remove')}>
                      <IconButton
                        size="small"
                        aria-label={translate('case.links.remove')}
                        onClick={() => remove(link)}
                      >
                        <DeleteIcon fontSize="small" />
                      </IconButton>
                    </Tooltip>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {!record.mergedIntoId && (
        <Form onSubmit={add} defaultValues={{ kind: 'related' }}>
          <Box sx={{ display: 'flex', gap: 2, alignItems: 'center', flexWrap: 'wrap' }}>
            <SelectInput
              source="kind"
              label="case.links.kind"
              choices={kindChoices}
              validate={required()}
              helperText={false}
              fullWidth={false}
              sx={{ minWidth: 240 }}
            />
            <ReferenceInput source="targetId" reference="cases" sort={{ field: 'createdAt', order: 'DESC' }}>
              <AutocompleteInput
                label="case.links.target"
                optionText={caseOption}
                validate={required()}
                helperText={false}
                fullWidth={false}
                sx={{ minWidth: 420 }}
              />
            </ReferenceInput>
            <SaveButton label="case.links.add" icon={<LinkIcon />} variant="outlined" />
          </Box>
        </Form>
      )}
    </Box>
  )
}
