import { Box, Typography } from '@mui/material'
import {
  LocalesMenuButton,
  Login,
  LoginForm,
  PasswordInput,
  required,
  TextInput,
  useTranslate,
} from 'react-admin'
import { useDocumentLang } from './useDocumentLang.ts'

/** Email and password (what the API expects), and the language can be chosen before signing in. */
export const LoginPage = () => {
  const translate = useTranslate()
  useDocumentLang()
  return (
    <Login>
      <Typography variant="h6" component="h1" align="center" sx={{ mt: 1 }}>
        {translate('app.title')}
      </Typography>
      <LoginForm>
        <TextInput
          autoFocus
          source="email"
          type="email"
          autoComplete="email"
          label="ra.auth.email"
          validate={required()}
        />
        <PasswordInput
          source="password"
          autoComplete="current-password"
          label="ra.auth.password"
          validate={required()}
        />
      </LoginForm>
      <Box sx={{ display: 'flex', justifyContent: 'center', pb: 1 }}>
        <LocalesMenuButton />
      </Box>
    </Login>
  )
}
