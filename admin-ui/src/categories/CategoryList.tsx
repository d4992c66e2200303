import { Box, Chip, Table, TableBody, TableCell, TableHead, TableRow } from '@mui/material'
import {
  List,
  RecordContextProvider,
  ReferenceField,
  TextField,
  useListContext,
  useRedirect,
  useTranslate,
} from 'react-admin'
import type { Category } from '../types.ts'

interface TreeRow {
  category: Category
  depth: number
}

/** Depth-first, siblings by sortOrder then Italian name: how the taxonomy reads. */
export const categoryTree = (categories: readonly Category[]): TreeRow[] => {
  const byParent = new Map<number | null, Category[]>()
  const ids = new Set(categories.map((c) => c.id))
  for (const c of categories) {
    // A parent missing from the page still shows its children, at the top.
    const parent = c.parentId !== null && ids.has(c.parentId) ? c.parentId : null
    byParent.set(parent, [...(byParent.get(parent) ?? []), c])
  }
  const rows: TreeRow[] = []
  const walk = (parent: number | null, depth: number) => {
    const children = [...(byParent.get(parent) ?? [])].sort(
      (a, b) => a.sortOrder - b.sortOrder || a.nameIt.localeCompare(b.nameIt, 'it'),
    )
    for (const category of children) {
      rows.push({ category, depth })
      walk(category.id, depth + 1)
    }
  }
  walk(null, 0)
  return rows
}

const CategoryTreeTable = () => {
  const { data = [] } = useListContext<Category>()
  const translate = useTranslate()
  const redirect = useRedirect()
  const field = (name: string) => translate(`resources.categories.fields.${name}`)
  return (
    <Table size="small">
      <TableHead>
        <TableRow>
          <TableCell>{field('nameIt')}</TableCell>
          <TableCell>{field('nameEn')}</TableCell>
          <TableCell>{field('code')}</TableCell>
          <TableCell>{field('officeId')}</TableCell>
          <TableCell>{field('active')}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {categoryTree(data).map(({ category, depth }) => (
          <RecordContextProvider key={category.id} value={category}>
            <TableRow
              hover
              sx={{ cursor: 'pointer' }}
              onClick={() => redirect('edit', 'categories', category.id)}
            >
              <TableCell sx={{ pl: 2 + depth * 3, fontWeight: depth === 0 ? 600 : undefined }}>
                {category.nameIt}
              </TableCell>
              <TableCell>{category.nameEn}</TableCell>
              <TableCell>{category.code}</TableCell>
              <TableCell>
                <ReferenceField source="officeId" reference="offices" link={false}>
                  <TextField source="name" />
                </ReferenceField>
              </TableCell>
              <TableCell>
                {!category.active && <Chip size="small" label={translate('admin.inactive')} />}
              </TableCell>
            </TableRow>
          </RecordContextProvider>
        ))}
      </TableBody>
    </Table>
  )
}

/** The category taxonomy as a tree (the API caps it at three levels). */
export const CategoryList = () => (
  <List exporter={false} sort={{ field: 'sortOrder', order: 'ASC' }} perPage={500} pagination={false}>
    <Box sx={{ overflowX: 'auto' }}>
      <CategoryTreeTable />
    </Box>
  </List>
)
