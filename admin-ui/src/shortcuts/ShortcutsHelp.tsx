import KeyboardIcon from '@mui/icons-material/KeyboardOutlined'
import {
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  IconButton,
  Table,
  TableBody,
  TableCell,
  TableRow,
  Tooltip,
  Typography,
} from '@mui/material'
import { useState } from 'react'
import { useTranslate } from 'react-admin'
import { SHORTCUTS, useShortcuts } from './useShortcuts.ts'

/** `?` (or the keyboard icon in the app bar) lists the keyboard shortcuts. */
export const ShortcutsHelp = () => {
  const translate = useTranslate()
  const [open, setOpen] = useState(false)
  useShortcuts({
    '?': () => {
      setOpen(true)
      return true
    },
  })
  const title = translate('shortcuts.title')
  return (
    <>
      <Tooltip title={`${title} (?)`}>
        <IconButton color="inherit" aria-label={title} onClick={() => setOpen(true)}>
          <KeyboardIcon />
        </IconButton>
      </Tooltip>
      <Dialog open={open} onClose={() => setOpen(false)} aria-labelledby="shortcuts-title">
        <DialogTitle id="shortcuts-title">{title}</DialogTitle>
        <DialogContent>
          {SHORTCUTS.map((section) => (
            <Box key={section.section} sx={{ mb: 2 }}>
              <Typography variant="subtitle2" component="h3">
                {translate(section.section)}
              </Typography>
              <Table size="small">
                <TableBody>
                  {section.keys.map((k) => (
                    <TableRow key={k.key}>
                      <TableCell sx={{ width: 90 }}>
                        <Box
                          component="kbd"
                          sx={{
                            border: 1,
                            borderColor: 'divider',
                            borderRadius: 0.5,
                            px: 0.75,
                            fontFamily: 'monospace',
                          }}
                        >
                          {translate(`shortcuts.key.${k.key}`, { _: k.key })}
                        </Box>
                      </TableCell>
                      <TableCell>{translate(k.action)}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </Box>
          ))}
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)}>{translate('ra.action.close')}</Button>
        </DialogActions>
      </Dialog>
    </>
  )
}
