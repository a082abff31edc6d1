import { Module } from '@nestjs/common';
import { TokenOverviewQuery } from '../overview/token-overview.service';
import { TokenInventory } from './token-inventory.service';

/** Read models over the tenant's tokens: the inventory and the overview. */
@Module({ providers: [TokenInventory, TokenOverviewQuery], exports: [TokenInventory, TokenOverviewQuery] })
export class InventoryModule {}
