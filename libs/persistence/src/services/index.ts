import { ServiceRepository } from './service.repository';

export * from './service.repository';

export const SERVICES_REPOSITORIES = [ServiceRepository];
