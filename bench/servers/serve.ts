import type { FastifyInstance } from 'fastify';

/** Listens on HOST:PORT from the environment and closes cleanly on SIGTERM/SIGINT. */
export function serve(app: FastifyInstance): void {
  const close = (): void => {
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', close);
  process.once('SIGINT', close);
  app.listen({ host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? 0) }).catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  });
}
