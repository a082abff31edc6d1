import { Module } from '@nestjs/common';
import { TokenCacheModule } from './token-cache.module';
import { TokenSnapshots } from './token-snapshots';
import { UsageRecorder } from './usage-recorder';
import { VerifyService } from './verify.service';

const VERIFY = [TokenSnapshots, UsageRecorder, VerifyService];

/** Verify: snapshots through the cache, and usage counted in memory and flushed on a timer. */
@Module({ imports: [TokenCacheModule], providers: VERIFY, exports: [...VERIFY, TokenCacheModule] })
export class VerifyModule {}
