import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ErrorCode } from '@custos/contracts';
import { ServicesService, type Principal, type RequestMeta, type ServiceView } from '@custos/application';
import { CurrentPrincipal, Meta, RequireScopes } from '../auth/auth.decorators';
import { ServiceListResponse } from '../http/list-responses';
import { CreateServiceDto, ServiceResponse, UpdateServiceDto } from './services.dto';
import { ApiDoc } from '../openapi/operation-docs';

@ApiTags('services')
@Controller('v1/services')
export class ServicesController {
  constructor(private readonly services: ServicesService) {}

  @Post()
  @RequireScopes('custos:services:write')
  @ApiCreatedResponse({ type: ServiceResponse })
  @ApiDoc({
    summary: 'Register a service: an owner of tokens',
    description: "Its allowedScopes bound the scopes of its tokens. A publicJwk (EC or RSA, public) receives scheduled rotations' secrets encrypted.",
    errors: [ErrorCode.CONFLICT],
    example: { name: 'orders', description: 'Order fulfilment backend', ownerContact: 'team-orders@acme.test', allowedScopes: ['orders:read', 'orders:write'] },
  })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateServiceDto, @Meta() meta: RequestMeta): Promise<ServiceView> {
    return this.services.create(principal, body, meta);
  }

  @Get()
  @RequireScopes('custos:services:read')
  @ApiOkResponse({ type: ServiceListResponse })
  @ApiDoc({ summary: 'The services of the tenant' })
  async list(@CurrentPrincipal() principal: Principal): Promise<{ items: ServiceView[] }> {
    return { items: await this.services.list(principal) };
  }

  @Get(':id')
  @RequireScopes('custos:services:read')
  @ApiOkResponse({ type: ServiceResponse })
  @ApiDoc({ summary: 'Get a service' })
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<ServiceView> {
    return this.services.get(principal, id);
  }

  @Patch(':id')
  @RequireScopes('custos:services:write')
  @ApiOkResponse({ type: ServiceResponse })
  @ApiDoc({
    summary: 'Change a service',
    description: 'Fields left out stay as they are. Names are unique in the tenant.',
    errors: [ErrorCode.CONFLICT],
    example: { description: 'Order fulfilment and returns', allowedScopes: ['orders:read', 'orders:write', 'returns:read'] },
  })
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: UpdateServiceDto,
    @Meta() meta: RequestMeta,
  ): Promise<ServiceView> {
    return this.services.update(principal, id, body, meta);
  }
}
