export type { BackoffOptions } from './backoff'
export { backoffDelay } from './backoff'
export { parseDuration } from './duration'
export type { Inbox, InboxEventInfo, InboxHandler, InboxOptions, StartOptions, StopOptions } from './inbox'
export { createInbox } from './inbox'
export { DEFAULT_KEPT_HEADERS } from './intake'
export type { InboxObserver, InboxObserverEvent } from './observer'
export type { OpenStoreOptions } from './open-store'
export { openStore } from './open-store'
export type {
  ClaimedDelivery,
  DeliveryStatus,
  InboxStats,
  InboxStore,
  ListOptions,
  NewDelivery,
  RetryTarget,
  StoredDelivery,
} from './store'
