export { describeReplayStoreContract } from './replay-store-contract'
export type { ReplayStoreContractOptions } from './replay-store-contract'
export { DATABASE_URL, REDIS_URL, requireService } from './services'
