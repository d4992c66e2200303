import { SaveButton, Toolbar } from 'react-admin'

/** A form toolbar without Delete: the API deactivates or closes records, it never deletes them. */
export const SaveOnlyToolbar = () => (
  <Toolbar>
    <SaveButton />
  </Toolbar>
)
