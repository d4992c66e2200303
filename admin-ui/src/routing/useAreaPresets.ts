import { type RaRecord, useGetList } from 'react-admin'
import type { AreaPreset } from './ruleForm.ts'

const NONE: AreaPreset[] = []

/**
 * Prato's circoscrizioni as the API lists them (approximate shapes), loaded once.
 * When the list cannot be read the presets are simply empty: areas stay editable as GeoJSON.
 */
export function useAreaPresets(): { presets: AreaPreset[]; isPending: boolean } {
  const { data, isPending, error } = useGetList<AreaPreset & RaRecord>(
    'routing-areas',
    { pagination: { page: 1, perPage: 100 }, sort: { field: 'id', order: 'ASC' } },
    { staleTime: Number.POSITIVE_INFINITY, retry: false },
  )
  // A stable empty list: forms derive their values from it and must not reset on every render.
  return { presets: data ?? NONE, isPending: isPending && !error }
}
