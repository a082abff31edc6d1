import { CreateCoreSchema1763856000000 } from './1763856000000-create-core-schema';
import { AddDueTokenDiscovery1763942400000 } from './1763942400000-add-due-token-discovery';

/** Every migration, in order. The schema changes only through these. */
export const MIGRATIONS = [CreateCoreSchema1763856000000, AddDueTokenDiscovery1763942400000];
