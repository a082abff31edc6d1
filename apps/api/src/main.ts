import 'reflect-metadata';
import { ConfigError, StartRefused, loadConfig } from '@custos/runtime';

async function main(): Promise<void> {
  // Check the configuration before loading the framework, so a bad setting fails in milliseconds.
  const config = loadConfig();
  const { createApp } = await import('./create-app.js');
  const app = await createApp(config);
  await app.listen({ port: config.PORT, host: config.HOST });
  const url = `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${config.PORT}`;
  process.stdout.write(`Custos API listening on ${url} (API docs: ${url}/docs)\n`);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\nSee docs/configuration.md.\n`);
  } else if (error instanceof StartRefused) {
    process.stderr.write(`Custos API refuses to start: ${error.message}\n`);
  } else {
    process.stderr.write(`Custos API failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});
