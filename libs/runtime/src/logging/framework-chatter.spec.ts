import type { LoggerService } from '@nestjs/common';
import { FrameworkChatterAtDebug } from './framework-chatter';

describe('FrameworkChatterAtDebug', () => {
  function recording(): { logger: LoggerService; lines: Array<[string, unknown[]]> } {
    const lines: Array<[string, unknown[]]> = [];
    const at = (level: string) => (...args: unknown[]) => void lines.push([level, args]);
    return { lines, logger: { log: at('info'), error: at('error'), warn: at('warn'), debug: at('debug'), verbose: at('verbose') } };
  }

  it("moves Nest's start-up lines to debug and leaves everything else where it was", () => {
    const { logger, lines } = recording();
    const quiet = new FrameworkChatterAtDebug(logger);
    quiet.log('Mapped {/v1/tokens, POST} route', 'RouterExplorer');
    quiet.log('AppModule dependencies initialized', 'InstanceLoader');
    quiet.log('Custos api listening', 'Bootstrap');
    quiet.log('no context at all');
    quiet.warn('slow', 'RouterExplorer');
    quiet.error('boom', 'stack', 'NestApplication');

    expect(lines.map(([level, args]) => [level, args[0]])).toEqual([
      ['debug', 'Mapped {/v1/tokens, POST} route'],
      ['debug', 'AppModule dependencies initialized'],
      ['info', 'Custos api listening'],
      ['info', 'no context at all'],
      ['warn', 'slow'],
      ['error', 'boom'],
    ]);
  });
});
