export * from './compliance-evaluator';
export * from './controls';
export { controlCatalogue, controlsFor } from './controls';
export * from './report-generator';
export * from './report-view';
export * from './reports.service';
export * from './token-export';
export * from './scope-breadth';
export * from './stale-reports';
