import { ApiProperty } from '@nestjs/swagger';
import { ServiceResponse } from '../services/services.dto';
import { TokenResponse } from '../tokens/token.dto';
import { UserResponse } from '../accounts/accounts.dto';

// Unpaged lists answer `{ items: [...] }`; these describe that envelope in the OpenAPI document, which
// the dashboard's generated client is typed from.

export class UserListResponse {
  @ApiProperty({ type: [UserResponse] }) items!: UserResponse[];
}

export class ServiceListResponse {
  @ApiProperty({ type: [ServiceResponse] }) items!: ServiceResponse[];
}

export class TokenListResponse {
  @ApiProperty({ type: [TokenResponse] }) items!: TokenResponse[];
}
