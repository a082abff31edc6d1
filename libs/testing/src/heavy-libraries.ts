/**
 * The libraries that load the whole server (Nest, TypeORM, BullMQ, pdfkit…), loaded on first use.
 * Most HTTP suites need none of them, and jest evaluates a suite's modules afresh for every suite: as
 * static imports of this package they cost a worker's first suite about 3 s, and each suite after it
 * 0.5–1 s (jest keeps the compiled scripts across a worker's suites, not the modules).
 */
export const runtime = (): Promise<typeof import('@custos/runtime')> => import('@custos/runtime');
export const persistence = (): Promise<typeof import('@custos/persistence')> => import('@custos/persistence');
export const application = (): Promise<typeof import('@custos/application')> => import('@custos/application');
