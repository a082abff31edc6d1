import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AccessReviewsService, type CampaignView, type ClosedCampaign, type Page, type Principal, type RequestMeta, type ReviewItemView } from '@custos/application';
import { ErrorCode } from '@custos/contracts';
import { CurrentPrincipal, Meta, RequireScopes } from '../auth/auth.decorators';
import { ApiDoc } from '../openapi/operation-docs';
import {
  BulkKeepDto,
  CampaignPageResponse,
  CampaignResponse,
  ClosedCampaignResponse,
  CreateCampaignDto,
  DecisionDto,
  ListCampaignsQuery,
  ListItemsQuery,
  ReviewItemListResponse,
  ReviewItemPageResponse,
  ReviewItemResponse,
} from './access-reviews.dto';

/** Access review campaigns (docs/access-reviews.md). `items` routes come before `:id`, which would take them. */
@ApiTags('access-reviews')
@Controller('v1/access-reviews')
export class AccessReviewsController {
  constructor(private readonly reviews: AccessReviewsService) {}

  @Post()
  @RequireScopes('custos:reviews:write')
  @ApiCreatedResponse({ type: CampaignResponse })
  @ApiDoc({
    summary: 'Open an access review campaign',
    description:
      'One item per token active and in scope now (a token issued later is not in it), reviewed by its steward or the named user; ' +
      "under the policy's reviews.separationOfDuties a token its steward issued to themselves goes to the owners and admins. Audited (review.campaign_opened).",
    example: { name: 'Q4 review: personal data', scope: { dataCategories: ['personal'] }, dueAt: '2026-12-31T00:00:00.000Z', reviewer: 'steward', onOverdue: 'suspend' },
  })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateCampaignDto, @Meta() meta: RequestMeta): Promise<CampaignView> {
    return this.reviews.create(principal, body, meta);
  }

  @Get()
  @RequireScopes('custos:reviews:read')
  @ApiOkResponse({ type: CampaignPageResponse, description: 'Newest first, keyset-paged.' })
  @ApiDoc({ summary: 'Access review campaigns, newest first, with their progress', query: { status: 'open', limit: 20 } })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListCampaignsQuery): Promise<Page<CampaignView>> {
    return this.reviews.list(principal, { status: query.status, cursor: query.cursor, limit: query.limit ?? 50 });
  }

  @Get('items')
  @RequireScopes('custos:reviews:read')
  @ApiOkResponse({ type: ReviewItemPageResponse, description: 'In id order, keyset-paged.' })
  @ApiDoc({
    summary: 'Review items: a campaign\'s, or the caller\'s queue (assignedTo=me)',
    description: "Each with the token's scopes, which of them were used in 90 days, its last use and countries.",
    query: { assignedTo: 'me', status: 'pending', limit: 50 },
  })
  items(@CurrentPrincipal() principal: Principal, @Query() query: ListItemsQuery): Promise<Page<ReviewItemView>> {
    return this.reviews.items(principal, { ...query, limit: query.limit ?? 50 });
  }

  @Post('items/keep')
  @HttpCode(200)
  @RequireScopes('custos:reviews:decide')
  @ApiOkResponse({ type: ReviewItemListResponse })
  @ApiDoc({
    summary: 'Keep many items at once',
    description: 'All or nothing: every item must be pending, in an open campaign, and the caller\'s to decide. Each is audited (review.decided).',
    errors: [ErrorCode.NOT_FOUND, ErrorCode.CONFLICT],
    example: { itemIds: ['ari_0VclK4B5vq9CZkPBGyKUiP'], comment: 'Reviewed with the team; all still needed.' },
  })
  async keepAll(@CurrentPrincipal() principal: Principal, @Body() body: BulkKeepDto, @Meta() meta: RequestMeta): Promise<ReviewItemListResponse> {
    return { items: await this.reviews.keepAll(principal, body.itemIds, body.comment, meta) };
  }

  @Post('items/:itemId/decision')
  @HttpCode(200)
  @RequireScopes('custos:reviews:decide')
  @ApiOkResponse({ type: ReviewItemResponse })
  @ApiDoc({
    summary: 'Decide a review item: keep, narrow or revoke',
    description:
      "keep attests; narrow sets the token's scopes to `scopes`, a subset of its current ones, through the token's PATCH rules; " +
      'revoke revokes it with the campaign as the reason. The decision and its effect commit together with their audit events. ' +
      'Only the assigned reviewer, or an owner or admin, decides; a decided item or a closed campaign answers 409.',
    errors: [ErrorCode.NOT_FOUND, ErrorCode.CONFLICT, ErrorCode.SCOPE_ESCALATION],
    example: { decision: 'keep', comment: 'Still used by the nightly billing export.' },
  })
  decide(@CurrentPrincipal() principal: Principal, @Param('itemId') id: string, @Body() body: DecisionDto, @Meta() meta: RequestMeta): Promise<ReviewItemView> {
    return this.reviews.decide(principal, id, body, meta);
  }

  @Get(':id')
  @RequireScopes('custos:reviews:read')
  @ApiOkResponse({ type: CampaignResponse })
  @ApiDoc({ summary: 'One campaign, with its progress: total, decided by decision, pending, overdue' })
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<CampaignView> {
    return this.reviews.get(principal, id);
  }

  @Post(':id/close')
  @HttpCode(200)
  @RequireScopes('custos:reviews:write')
  @ApiOkResponse({ type: ClosedCampaignResponse })
  @ApiDoc({
    summary: 'Close a campaign and produce its signed report',
    description:
      'Items still undecided stay so in the report. The report (JSON, CSV and PDF, each signed like compliance reports) is generated by the ' +
      'worker: poll GET /v1/reports/{reportId} and download it from /v1/reports/{reportId}/download. A closed campaign answers 409. Audited (review.campaign_closed).',
    errors: [ErrorCode.NOT_FOUND, ErrorCode.CONFLICT],
  })
  close(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Meta() meta: RequestMeta): Promise<ClosedCampaign> {
    return this.reviews.close(principal, id, meta);
  }
}
