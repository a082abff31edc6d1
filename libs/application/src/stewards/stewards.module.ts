import { Module } from '@nestjs/common';
import { Stewards } from './stewards';

/** Who is accountable for tokens and services: what issuing, editing and removing users share. */
@Module({ providers: [Stewards], exports: [Stewards] })
export class StewardsModule {}
