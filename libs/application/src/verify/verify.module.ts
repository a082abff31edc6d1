import { Module } from '@nestjs/common';
import { UsageModule } from '../usage/usage.module';
import { TokenCacheModule } from './token-cache.module';
import { TokenSnapshots } from './token-snapshots';
import { UsageRecorder } from './usage-recorder';
import { VerifyService } from './verify.service';

const VERIFY = [TokenSnapshots, UsageRecorder, VerifyService];

/** Verify: snapshots through the cache, uses counted in memory and flushed on a timer, and every answer a usage event. */
@Module({ imports: [TokenCacheModule, UsageModule], providers: VERIFY, exports: [...VERIFY, TokenCacheModule] })
export class VerifyModule {}
