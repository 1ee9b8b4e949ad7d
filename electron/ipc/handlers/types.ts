import type { ChannelName } from '../channels'
import type { ParsedInputOf, ResultOf } from '../contract'
import type { PorchlightCore, Session } from '../core'
import type { PrintingPage } from '../printing'

export interface CallContext {
  core: PorchlightCore
  session: Session
  /** The window that made the call, for printing it: absent where there is no page (the admin CLI, unit tests). */
  page?: PrintingPage
}

export type Handler<C extends ChannelName> = (input: ParsedInputOf<C>, call: CallContext) => Promise<ResultOf<C>>

/** One handler for each channel of a feature's contract file, and no other. */
export type FeatureHandlers<Channels> = { readonly [C in keyof Channels & ChannelName]: Handler<C> }
