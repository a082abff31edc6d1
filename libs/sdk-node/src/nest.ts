export { CUSTOS_VERIFIER, CustosGuard, RequireScopes } from './nest/custos.guard';
export { CustosProblemFilter, CustosRefusedException } from './nest/custos-problem.filter';
export type { ProblemDetails, RefusalCode } from './middleware/refusal';
