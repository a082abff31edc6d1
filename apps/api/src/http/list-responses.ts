import { ApiProperty } from '@nestjs/swagger';
import type { ServiceView, TokenView, UserView } from '@custos/application';
import { ServiceResponse } from '../services/services.dto';
import { TokenResponse } from '../tokens/token.dto';
import { UserResponse } from '../accounts/accounts.dto';
import type { Mirror } from './mirror';

// Unpaged lists answer `{ items: [...] }`; these describe that envelope in the OpenAPI document, which
// the dashboard's generated client is typed from.

export class UserListResponse implements Mirror<{ items: UserView[] }, UserListResponse> {
  @ApiProperty({ type: [UserResponse] }) items!: UserResponse[];
}

export class ServiceListResponse implements Mirror<{ items: ServiceView[] }, ServiceListResponse> {
  @ApiProperty({ type: [ServiceResponse] }) items!: ServiceResponse[];
}

export class TokenListResponse implements Mirror<{ items: TokenView[] }, TokenListResponse> {
  @ApiProperty({ type: [TokenResponse] }) items!: TokenResponse[];
}
