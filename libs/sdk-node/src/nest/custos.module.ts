import { type DynamicModule, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { createVerifier, type Verifier, type VerifierOptions } from '../verifier/create-verifier';
import { CUSTOS_VERIFIER, CustosGuard } from './custos.guard';

/** Reports the verifier's pending uses and ends its feed when the application shuts down. */
@Injectable()
class VerifierShutdown implements OnApplicationShutdown {
  constructor(@Inject(CUSTOS_VERIFIER) private readonly verifier: Verifier) {}

  onApplicationShutdown(): Promise<void> {
    return this.verifier.close();
  }
}

/**
 * One verifier for the whole application, and CustosGuard to inject it into:
 * `imports: [CustosModule.forRoot({ baseUrl, serviceKey })]`. It is closed on shutdown
 * (with `app.enableShutdownHooks()` for signals).
 */
@Module({})
export class CustosModule {
  static forRoot(options: VerifierOptions): DynamicModule {
    return {
      module: CustosModule,
      global: true,
      providers: [{ provide: CUSTOS_VERIFIER, useFactory: () => createVerifier(options) }, CustosGuard, VerifierShutdown],
      exports: [CUSTOS_VERIFIER, CustosGuard],
    };
  }
}
