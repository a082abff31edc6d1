import { TokenInventoryRepository } from './token-inventory.repository';

export * from './token-inventory.repository';

export const INVENTORY_REPOSITORIES = [TokenInventoryRepository];
