import { Divider, Typography } from '@mui/material'
import type { ReactNode } from 'react'
import { useTranslate } from 'react-admin'

/** The fields of a show page, laid out in as many columns as fit. */
export const detailsGrid = {
  display: 'grid',
  gridTemplateColumns: 'repeat(auto-fill, minmax(220px, 1fr))',
  columnGap: 3,
  rowGap: 1,
} as const

/** A titled part of a show page (timeline, links, history…); `title` is a translation key. */
export const Section = ({ title, children }: { title: string; children: ReactNode }) => {
  const translate = useTranslate()
  return (
    <>
      <Divider />
      <Typography variant="h6" component="h2">
        {translate(title)}
      </Typography>
      {children}
    </>
  )
}
