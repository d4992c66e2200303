import simpleRestProvider from 'ra-data-simple-rest'
import { httpClient } from './httpClient.ts'

/** react-admin's simple-rest dialect, spoken by the API under /api/v1. */
export const dataProvider = simpleRestProvider('/api/v1', httpClient)
