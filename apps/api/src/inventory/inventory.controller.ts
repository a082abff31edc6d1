import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import {
  INVENTORY_COUNT_CAP,
  INVENTORY_SORTS,
  SORT_ORDERS,
  TokenInventory,
  type InventoryPage,
  type InventorySort,
  type Principal,
  type SortOrder,
} from '@custos/application';
import { IsIn, IsOptional } from 'class-validator';
import { CurrentPrincipal, RequireScopes } from '../auth/auth.decorators';
import { ListTokensQuery, TokenResponse } from '../tokens/token.dto';
import type { Mirror } from '../http/mirror';
import { ApiDoc } from '../openapi/operation-docs';

export class InventoryQuery extends ListTokensQuery {
  @ApiPropertyOptional({ enum: INVENTORY_SORTS, default: 'createdAt', description: 'Never-used tokens sort as the oldest use.' })
  @IsOptional() @IsIn(INVENTORY_SORTS)
  sort?: InventorySort;

  @ApiPropertyOptional({ enum: SORT_ORDERS, default: 'desc' })
  @IsOptional() @IsIn(SORT_ORDERS)
  order?: SortOrder;
}

export class InventoryPageResponse implements Mirror<InventoryPage, InventoryPageResponse> {
  @ApiProperty({ type: [TokenResponse] }) items!: TokenResponse[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` with the same filters and sort.' })
  nextCursor!: string | null;
  @ApiProperty({ description: `Tokens matching the filters, counted up to ${INVENTORY_COUNT_CAP}.` }) total!: number;
  @ApiProperty({ description: 'True when more tokens match than `total` says.' }) totalCapped!: boolean;
}

/** The dashboard's token inventory: the token list's filters, plus sorting and a capped count. */
@ApiTags('tokens')
@Controller('v1/inventory')
export class InventoryController {
  constructor(private readonly inventory: TokenInventory) {}

  @Get()
  @RequireScopes('custos:tokens:read')
  @ApiOperation({ summary: 'Tokens with filters, prefix search by name or lookup id, sorting and keyset pages' })
  @ApiOkResponse({ type: InventoryPageResponse })
  @ApiDoc({
    summary: 'Tokens with filters, prefix search by name or lookup id, sorting and keyset pages',
    description: "The dashboard's inventory: GET /v1/tokens's filters, plus sort, order and a count capped for speed.",
    query: { status: 'active', sort: 'expiresAt', order: 'asc', limit: 20 },
  })
  list(@CurrentPrincipal() principal: Principal, @Query() query: InventoryQuery): Promise<InventoryPage> {
    return this.inventory.list(principal, { ...query, limit: query.limit ?? 50 });
  }
}
