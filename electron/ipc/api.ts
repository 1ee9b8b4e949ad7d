import { CHANNELS, type ChannelName } from './channels'
import type { InputOf, ResultOf } from './contract'
import type { Envelope } from './envelope'

type GroupOf<C extends string> = C extends `${infer G}.${string}` ? G : never

/** `window.porchlight`: one named function per channel, grouped by the part before the dot. */
export type PorchlightApi = {
  readonly [G in GroupOf<ChannelName>]: {
    readonly [C in ChannelName as C extends `${G}.${infer M}` ? M : never]: (input: InputOf<C>) => Promise<Envelope<ResultOf<C>>>
  }
}

export type Invoke = (channel: ChannelName, input: unknown) => Promise<unknown>

/** Builds the API object from the channel list; the preload and the test host's bridge both use it. */
export function buildApi(invoke: Invoke): PorchlightApi {
  const api: Record<string, Record<string, (input: unknown) => Promise<unknown>>> = {}
  for (const channel of CHANNELS) {
    const [group, method] = channel.split('.') as [string, string]
    api[group] ??= {}
    api[group][method] = (input: unknown) => invoke(channel, input)
  }
  return api as unknown as PorchlightApi
}
