import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ServicesService, type Principal, type RequestMeta, type ServiceView } from '@custos/application';
import { CurrentPrincipal, Meta, RequireScopes } from '../auth/auth.decorators';
import { ServiceListResponse } from '../http/list-responses';
import { CreateServiceDto, ServiceResponse, UpdateServiceDto } from './services.dto';

@ApiTags('services')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('v1/services')
export class ServicesController {
  constructor(private readonly services: ServicesService) {}

  @Post()
  @RequireScopes('custos:services:write')
  @ApiCreatedResponse({ type: ServiceResponse })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateServiceDto, @Meta() meta: RequestMeta): Promise<ServiceView> {
    return this.services.create(principal, body, meta);
  }

  @Get()
  @RequireScopes('custos:services:read')
  @ApiOkResponse({ type: ServiceListResponse })
  async list(@CurrentPrincipal() principal: Principal): Promise<{ items: ServiceView[] }> {
    return { items: await this.services.list(principal) };
  }

  @Get(':id')
  @RequireScopes('custos:services:read')
  @ApiOkResponse({ type: ServiceResponse })
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<ServiceView> {
    return this.services.get(principal, id);
  }

  @Patch(':id')
  @RequireScopes('custos:services:write')
  @ApiOkResponse({ type: ServiceResponse })
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: UpdateServiceDto,
    @Meta() meta: RequestMeta,
  ): Promise<ServiceView> {
    return this.services.update(principal, id, body, meta);
  }
}
