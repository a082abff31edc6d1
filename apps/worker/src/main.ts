import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ConfigError, FrameworkChatterAtDebug, StartRefused, loadConfig, openInstallation, selectQueueBackend } from '@custos/runtime';
import { Logger } from 'nestjs-pino';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  const config = loadConfig();
  const installation = await openInstallation(config, 'custos-worker');
  selectQueueBackend(config);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, installation.redisKeys), { bufferLogs: true });
  app.useLogger(new FrameworkChatterAtDebug(app.get(Logger)));
  // SIGTERM/SIGINT close the context: BullMQ workers finish the jobs in hand before the process exits.
  app.enableShutdownHooks();
  process.stdout.write(`Custos worker started (queues on ${config.CUSTOS_QUEUE_BACKEND === 'redis' ? 'Redis' : 'PostgreSQL'})\n`);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) process.stderr.write(`${error.message}\nSee docs/configuration.md.\n`);
  else if (error instanceof StartRefused) process.stderr.write(`Custos worker refuses to start: ${error.message}\n`);
  else process.stderr.write(`Custos worker failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
