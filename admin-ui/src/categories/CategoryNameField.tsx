import { Typography } from '@mui/material'
import { useRecordContext } from 'react-admin'
import type { Category } from '../types.ts'
import { useCategoryName } from './useCategoryName.ts'

/** The category in the record context, named in the console's language. */
export const CategoryNameField = (_props: { label?: string }) => {
  const category = useRecordContext<Category>()
  const name = useCategoryName()
  return category ? (
    <Typography variant="body2" component="span">
      {name(category)}
    </Typography>
  ) : null
}
