import { Injectable } from '@nestjs/common';
import { WebhookDispatcher, type DispatchResult } from '@custos/application';
import type { JobHandler } from './job-handler';

@Injectable()
export class WebhookDeliveryHandler implements JobHandler<'webhooks.deliver'> {
  readonly jobName = 'webhooks.deliver' as const;

  constructor(private readonly dispatcher: WebhookDispatcher) {}

  async handle(): Promise<Record<string, unknown>> {
    const result: DispatchResult = await this.dispatcher.dispatch();
    return { ...result };
  }
}
