import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ComplianceEvaluator, summaryOf, type Principal } from '@custos/application';
import { CurrentPrincipal, RequireScopes } from '../auth/auth.decorators';
import { ComplianceControlsQuery, ControlTableResponse } from '../reports/reports.dto';
import { ApiDoc } from '../openapi/operation-docs';

/** The live control table behind the dashboard's Compliance page. */
@ApiTags('reports')
@Controller('v1/compliance')
export class ComplianceController {
  constructor(private readonly evaluator: ComplianceEvaluator) {}

  @Get('controls')
  @RequireScopes('custos:reports:read')
  @ApiOperation({ summary: "Evaluates a framework's controls for a period now, with the first evidence rows of each" })
  @ApiOkResponse({ type: ControlTableResponse })
  @ApiDoc({
    summary: "Evaluates a framework's controls for a period now, with the first evidence rows of each",
    description: 'The period spans at most 3 years (docs/compliance.md).',
    query: { framework: 'soc2', from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z', evidenceLimit: 5 },
  })
  async controls(@CurrentPrincipal() principal: Principal, @Query() query: ComplianceControlsQuery): Promise<ControlTableResponse> {
    const items = await this.evaluator.evaluate(principal, {
      framework: query.framework,
      from: query.from,
      to: query.to,
      evidenceLimit: query.evidenceLimit ?? 20,
    });
    return { framework: query.framework, from: query.from.toISOString(), to: query.to.toISOString(), summary: summaryOf(items), items };
  }
}
