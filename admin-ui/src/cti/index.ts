import BlockedIcon from '@mui/icons-material/PhoneDisabledOutlined'
import TokenIcon from '@mui/icons-material/VpnKeyOutlined'
import { BlockedNumberCreate, BlockedNumberList } from './BlockedNumbers.tsx'
import { CtiTokenCreate, CtiTokenList } from './CtiTokens.tsx'

/** The PBX's webhook tokens (admins): the secret shown once, revoked, never edited. */
export const ctiTokens = {
  list: CtiTokenList,
  create: CtiTokenCreate,
  icon: TokenIcon,
  recordRepresentation: 'name',
}

/** The callers the PBX is told to reject (admins). */
export const blockedNumbers = {
  list: BlockedNumberList,
  create: BlockedNumberCreate,
  icon: BlockedIcon,
  recordRepresentation: 'number',
}
