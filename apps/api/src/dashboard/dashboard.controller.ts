import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { Controller, Get, Header, Inject, NotFoundException, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { CustosConfig } from '@custos/runtime';
import type { FastifyRequest } from 'fastify';
import { Public } from '../auth/public.decorator';
import { CUSTOS_CONFIG } from '../infrastructure/config.provider';

const SERVER_PREFIXES = ['v1', 'health', 'metrics', 'docs', 'openapi.json', 'assets'];

export function dashboardDir(config: CustosConfig): string {
  return config.CUSTOS_DASHBOARD_DIR ?? join(process.cwd(), 'dist', 'apps', 'dashboard');
}

/** Vite's fingerprinted output: its name changes with its content, so it may be cached for good. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** index.html and other unhashed files: revalidate on every use, so a deploy is seen at once. */
const REVALIDATE = 'no-cache';

/** The Cache-Control of a file @fastify/static sends from the dashboard's directory. */
export function dashboardCacheControl(root: string, file: string): string {
  return relative(resolve(root), resolve(file)).startsWith(`assets${sep}`) ? IMMUTABLE : REVALIDATE;
}

/**
 * Single-page app fallback: any GET that is not a server route and not a built file answers the
 * dashboard's index.html, so deep links work. Files themselves are served by @fastify/static.
 */
@ApiExcludeController()
@Controller()
export class DashboardController {
  private index: Promise<string> | undefined;

  constructor(@Inject(CUSTOS_CONFIG) private readonly config: CustosConfig) {}

  @Get('*')
  @Public()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', REVALIDATE)
  async page(@Req() request: FastifyRequest): Promise<string> {
    const first = request.url.split('?')[0]!.split('/')[1] ?? '';
    const file = join(dashboardDir(this.config), 'index.html');
    if (SERVER_PREFIXES.includes(first) || !existsSync(file)) throw new NotFoundException();
    this.index ??= readFile(file, 'utf8');
    return this.index;
  }
}
