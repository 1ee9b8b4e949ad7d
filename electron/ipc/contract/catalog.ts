import { z } from 'zod'
import type { ServiceAdmin } from '../../../db/types'
import { channel, noInput, requiredText, id } from './common'

/** The center's service catalog. */
export const serviceNames = {
  nameEn: requiredText(60, 'the English name'),
  nameEs: requiredText(60, 'the Spanish name'),
  hasQuantity: z.boolean({ message: 'Say whether this service takes a quantity.' }),
}

export const catalogChannels = {
  'catalog.all': channel<ServiceAdmin[]>()({ input: noInput }),
  'catalog.add': channel<ServiceAdmin>()({ input: z.object(serviceNames).strict() }),
  'catalog.update': channel<ServiceAdmin>()({ input: z.object({ id: id('a service'), ...serviceNames }).strict() }),
  'catalog.retire': channel<ServiceAdmin>()({
    input: z.object({ id: id('a service'), retired: z.boolean({ message: 'Say whether to retire it.' }) }).strict(),
  }),
  'catalog.reorder': channel<ServiceAdmin[]>()({
    input: z
      .object({ ids: z.array(id('a service')).min(1, { message: 'List every service.' }).max(500) })
      .strict(),
  }),
}
