import { Body, Controller, HttpCode, Injectable, Post, Req, UseGuards, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiHeader, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { LeakIntake, type LeakVerdict, type RequestMeta } from '@custos/application';
import { ErrorCode } from '@custos/contracts';
import { DomainError } from '@custos/domain';
import type { RawBodyRequest } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { Meta } from '../auth/auth.decorators';
import { LeakReportRateLimitGuard } from '../auth/auth-rate-limit.guard';
import { Public } from '../auth/public.decorator';
import { AllowSecret } from '../http/request-text';
import { ApiDoc } from '../openapi/operation-docs';
import { GithubScanningKeys } from './github-scanning-keys';

/** The most tokens one GitHub report may carry. */
const GITHUB_BATCH_MAX = 1000;

export class LeakReportDto {
  @ApiProperty({ description: 'The token found. Presenting it is the proof: no credentials are needed.' })
  @AllowSecret('the leaked token being reported; looked up by its lookup id and compared as a hash, never stored')
  @IsString() @Length(1, 200)
  token!: string;

  @ApiPropertyOptional({ maxLength: 2048, example: 'https://gist.github.com/someone/0123abcd' })
  @IsOptional() @IsString() @MaxLength(2048)
  url?: string;

  @ApiPropertyOptional({ maxLength: 100, example: 'pastebin-monitor' })
  @IsOptional() @IsString() @MaxLength(100)
  source?: string;
}

export class LeakReportAcceptedResponse {
  @ApiProperty({ enum: ['received'], description: 'The same answer whether or not the token existed.' }) status!: 'received';
}

export class GithubLeakDto {
  @ApiProperty() token!: string;
  @ApiProperty({ example: 'custos_api_token' }) type!: string;
  @ApiProperty({ example: 'https://github.com/octo/repo/blob/abc123/.env' }) url!: string;
  @ApiProperty({ example: 'content' }) source!: string;
}

export class GithubLeakFeedbackResponse {
  @ApiProperty() token_raw!: string;
  @ApiProperty() token_type!: string;
  @ApiProperty({ enum: ['true_positive', 'false_positive'] }) label!: LeakVerdict;
}

/** Lets a report through only with GitHub's signature over its body's bytes (GithubScanningKeys); 401 otherwise, before anything is read. */
@Injectable()
export class GithubSignatureGuard implements CanActivate {
  constructor(private readonly keys: GithubScanningKeys) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RawBodyRequest<FastifyRequest>>();
    const keyId = header(request, 'github-public-key-identifier');
    const signature = header(request, 'github-public-key-signature');
    if (request.rawBody && (await this.keys.verifies(request.rawBody, keyId, signature))) return true;
    throw new DomainError(ErrorCode.UNAUTHENTICATED, 'The report does not carry a valid GitHub secret scanning signature.');
  }
}

/**
 * Leaked tokens reported from outside: GitHub's secret scanning partner program, and anyone who found
 * one. Each Custos token reported is revoked at once and raises a `leaked` alert (docs/alerts.md).
 */
@ApiTags('alerts')
@Controller('v1')
export class LeaksController {
  constructor(private readonly intake: LeakIntake) {}

  @Post('leaks')
  @Public()
  @HttpCode(202)
  @UseGuards(LeakReportRateLimitGuard)
  @ApiAcceptedResponse({ type: LeakReportAcceptedResponse })
  @ApiDoc({
    summary: 'Report a leaked token',
    description:
      'Anyone may report a token they found: presenting it is the proof. A Custos token is revoked at once and a leaked alert raised in its tenant. ' +
      'The answer is the same whether or not the token existed. Rate-limited per client address.',
    errors: [ErrorCode.RATE_LIMITED],
    example: { token: 'cus_live_…', url: 'https://gist.github.com/someone/0123abcd', source: 'a reader' },
  })
  async report(@Body() body: LeakReportDto, @Meta() meta: RequestMeta): Promise<LeakReportAcceptedResponse> {
    await this.intake.report([body], 'public', meta);
    return { status: 'received' };
  }

  @Post('secret-scanning/github')
  @Public()
  @HttpCode(200)
  @UseGuards(GithubSignatureGuard)
  @ApiHeader({ name: 'Github-Public-Key-Identifier', required: true })
  @ApiHeader({ name: 'Github-Public-Key-Signature', required: true, description: 'Base64 DER ECDSA P-256 SHA-256 signature of the body as sent.' })
  @ApiBody({ type: [GithubLeakDto] })
  @ApiOkResponse({ type: [GithubLeakFeedbackResponse] })
  @ApiDoc({
    summary: "GitHub secret scanning: tokens found in public repositories",
    description:
      "GitHub's secret scanning partner format, signed by GitHub (a missing or wrong signature: 401, nothing changes). Every Custos token " +
      `reported is revoked at once and raises a leaked alert. Up to ${GITHUB_BATCH_MAX} tokens a request; the answer labels each true_positive ` +
      '(a Custos token that existed, live or not) or false_positive.',
    errors: [ErrorCode.UNAUTHENTICATED],
    example: [{ token: 'cus_live_…', type: 'custos_api_token', url: 'https://github.com/octo/repo/blob/abc123/.env', source: 'content' }],
  })
  async github(@Req() request: FastifyRequest, @Meta() meta: RequestMeta): Promise<GithubLeakFeedbackResponse[]> {
    // Read from the request, not through the validation pipe: the body is an array of tokens, which the pipe's text rules refuse.
    const reports = githubReportsOf(request.body);
    const verdicts = await this.intake.report(reports, 'github', meta);
    return reports.map((r, i) => ({ token_raw: r.token, token_type: r.type, label: verdicts[i]! }));
  }
}

interface GithubReport {
  token: string;
  type: string;
  url: string | null;
  source: string | null;
}

/** The reports of a GitHub body, or a 400 naming what is wrong. */
function githubReportsOf(body: unknown): GithubReport[] {
  if (!Array.isArray(body) || body.length === 0 || body.length > GITHUB_BATCH_MAX) {
    throw DomainError.validation([{ field: 'body', message: `must be an array of 1 to ${GITHUB_BATCH_MAX} reports` }]);
  }
  return body.map((item: unknown, i) => {
    const r = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    if (typeof r.token !== 'string' || r.token.length === 0 || r.token.length > 1000) {
      throw DomainError.validation([{ field: `${i}.token`, message: 'must be a string of 1 to 1000 characters' }]);
    }
    return { token: r.token, type: text(r.type, 100) ?? '', url: text(r.url, 2048), source: text(r.source, 100) };
  });
}

function text(value: unknown, max: number): string | null {
  return typeof value === 'string' ? value.slice(0, max) : null;
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}
