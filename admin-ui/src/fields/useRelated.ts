import { type RaRecord, useGetManyReference } from 'react-admin'

/**
 * The records of `resource` that belong to one record (a case's links or attachments,
 * a contact's duplicate suggestions): all of them, oldest first. Waits for the record.
 */
export function useRelated<T extends RaRecord>(
  resource: string,
  target: string,
  id: RaRecord['id'] | undefined,
) {
  const { data = [], isPending } = useGetManyReference<T>(
    resource,
    { target, id, pagination: { page: 1, perPage: 100 }, sort: { field: 'id', order: 'ASC' } },
    { enabled: id !== undefined },
  )
  return { data, isPending }
}
