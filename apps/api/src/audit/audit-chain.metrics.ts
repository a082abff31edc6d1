import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AuditSealer } from '@custos/application';
import { MetricsService } from '../observability/metrics.module';

/**
 * custos_audit_chain_refusals in /metrics: how often this instance refused to chain audit events onto a
 * head that contradicts a signed checkpoint (events cut or rewritten behind the application). Anything
 * above 0 wants an operator (docs/audit-chain.md#when-the-chain-contradicts-a-checkpoint).
 */
@Injectable()
export class AuditChainMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsService,
    private readonly sealer: AuditSealer,
  ) {}

  onModuleInit(): void {
    const { sealer } = this;
    this.metrics.registerGauge({
      name: 'audit_chain_refusals',
      help: 'Times this instance refused to chain audit events onto a head that contradicts a signed checkpoint, since it started',
      collect() {
        this.set(sealer.refusals);
      },
    });
  }
}
