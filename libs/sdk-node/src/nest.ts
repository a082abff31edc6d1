export { CUSTOS_VERIFIER, CustosGuard, RequireScopes } from './nest/custos.guard';
export { CustosModule } from './nest/custos.module';
export { CustosProblemFilter, CustosRefusedException } from './nest/custos-problem.filter';
export type { ProblemDetails, RefusalCode } from './middleware/refusal';
