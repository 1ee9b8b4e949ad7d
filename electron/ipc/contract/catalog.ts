import { z } from 'zod'
import type { ServiceAdmin } from '../../../db/types'
import { channel, noInput, requiredText, id } from './common'

/** The center's service catalog. */
export const serviceNames = {
  nameEn: requiredText(60),
  nameEs: requiredText(60),
  hasQuantity: z.boolean(),
}

export const catalogChannels = {
  'catalog.all': channel<ServiceAdmin[]>()({ input: noInput }),
  'catalog.add': channel<ServiceAdmin>()({ input: z.object(serviceNames).strict() }),
  'catalog.update': channel<ServiceAdmin>()({ input: z.object({ id: id(), ...serviceNames }).strict() }),
  'catalog.retire': channel<ServiceAdmin>()({
    input: z.object({ id: id(), retired: z.boolean() }).strict(),
  }),
  'catalog.reorder': channel<ServiceAdmin[]>()({
    input: z
      .object({ ids: z.array(id()).min(1).max(500) })
      .strict(),
  }),
}
