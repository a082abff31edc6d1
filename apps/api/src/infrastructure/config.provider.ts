/** The validated CustosConfig, provided by the app module. */
export const CUSTOS_CONFIG = Symbol('CUSTOS_CONFIG');
