import { CreateCoreSchema1763856000000 } from './1763856000000-create-core-schema';

/** Every migration, in order. The schema changes only through these. */
export const MIGRATIONS = [CreateCoreSchema1763856000000];
