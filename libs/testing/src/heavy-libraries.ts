/**
 * The libraries that load the whole server (Nest, TypeORM, BullMQ, pdfkit…), loaded on first use.
 * Most HTTP suites need none of them, and jest loads a suite's modules afresh for every suite: as
 * static imports of this package they cost each suite about 2–3 s before its first test.
 */
export const runtime = (): Promise<typeof import('@custos/runtime')> => import('@custos/runtime');
export const persistence = (): Promise<typeof import('@custos/persistence')> => import('@custos/persistence');
export const application = (): Promise<typeof import('@custos/application')> => import('@custos/application');
