import { Controller, Get, Header, Param, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { SubjectRequests, type Principal, type RequestMeta, type SubjectReport } from '@custos/application';
import { DomainError } from '@custos/domain';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, Meta, RequireScopes } from '../auth/auth.decorators';
import { SUBJECT_REF_PATTERN, SubjectReportResponse } from './consents.dto';
import { ApiDoc } from '../openapi/operation-docs';

function checkedSubjectRef(value: string): string {
  if (!SUBJECT_REF_PATTERN.test(value)) {
    throw DomainError.validation([{ field: 'subjectRef', message: 'must be a pseudonymous reference (letters, digits and ._:~- only)' }]);
  }
  return value;
}

/** Data subject requests: what Custos holds about one subjectRef's consents, each lookup audited. */
@ApiTags('consents')
@Controller('v1/subjects')
export class SubjectsController {
  constructor(private readonly subjects: SubjectRequests) {}

  @Get(':subjectRef')
  @RequireScopes('custos:consents:read')
  @ApiOkResponse({ type: SubjectReportResponse, description: 'Every consent of the subject with its versions, every token ever bound, usage.' })
  @ApiDoc({
    summary: 'Everything held about a data subject (access request)',
    description:
      'Every consent of the subjectRef with its versions, every token ever bound, usage. An unknown subjectRef answers an empty report. ' +
      'Audited (subject.viewed).',
  })
  get(@CurrentPrincipal() principal: Principal, @Param('subjectRef') subjectRef: string, @Meta() meta: RequestMeta): Promise<SubjectReport> {
    return this.subjects.report(principal, checkedSubjectRef(subjectRef), 'view', meta);
  }

  @Get(':subjectRef/export')
  @RequireScopes('custos:consents:read')
  @Header('cache-control', 'no-store')
  @ApiProduces('application/json')
  @ApiOkResponse({ type: SubjectReportResponse, description: 'The same report as a JSON file for an access request (GDPR Art. 15).' })
  @ApiDoc({ summary: 'The data subject report as a JSON file', description: 'For an access request (GDPR Art. 15). Audited (subject.exported).' })
  async export(
    @CurrentPrincipal() principal: Principal,
    @Param('subjectRef') subjectRef: string,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SubjectReport> {
    const ref = checkedSubjectRef(subjectRef);
    const report = await this.subjects.report(principal, ref, 'export', meta);
    void reply.header('content-disposition', `attachment; filename="custos-subject-${ref}.json"`);
    return report;
  }
}
