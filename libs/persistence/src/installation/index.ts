import { InstallationRepository } from './installation.repository';

export * from './installation.repository';

export const INSTALLATION_REPOSITORIES = [InstallationRepository];
