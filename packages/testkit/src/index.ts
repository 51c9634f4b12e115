export {
  type AdapterContractOptions,
  type AdapterServer,
  type ContractReply,
  type ContractRoute,
  describeAdapterContract,
  listen,
} from './adapter-contract'
export type { ReplayStoreContractOptions } from './replay-store-contract'
export { describeReplayStoreContract } from './replay-store-contract'
export { DATABASE_URL, REDIS_URL, requireService } from './services'
