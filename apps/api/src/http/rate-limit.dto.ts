import { ApiProperty } from '@nestjs/swagger';
import { RATE_LIMIT_MAX, RATE_WINDOW_MAX_SECONDS, type TokenRateLimit } from '@custos/domain';
import { IsInt, Max, Min } from 'class-validator';
import type { Mirror } from './mirror';

/** A budget of uses per window: a token's rate limit, a service key's on the API. */
export class RateLimitDto implements Mirror<TokenRateLimit, RateLimitDto> {
  @ApiProperty({ minimum: 1, maximum: RATE_LIMIT_MAX, example: 100 })
  @IsInt() @Min(1) @Max(RATE_LIMIT_MAX)
  limit!: number;

  @ApiProperty({ minimum: 1, maximum: RATE_WINDOW_MAX_SECONDS, example: 60, description: 'A fixed window, at most a day.' })
  @IsInt() @Min(1) @Max(RATE_WINDOW_MAX_SECONDS)
  windowSeconds!: number;
}
