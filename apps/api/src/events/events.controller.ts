import { Body, Controller, Headers, HttpCode, Post, Req, Sse, type MessageEvent } from '@nestjs/common';
import { ApiAcceptedResponse, ApiHeader, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { EventsFeed, UsageReports, type FeedListener, type Principal, type UsageReportResult } from '@custos/application';
import { FEED_EVENT_NAMES, FEED_HEARTBEAT_SECONDS } from '@custos/contracts';
import type { FastifyRequest } from 'fastify';
import { Observable, type Subscriber } from 'rxjs';
import { CurrentPrincipal, RequireScopes } from '../auth/auth.decorators';
import { originOf } from '../http/request-origin';
import { ApiDoc } from '../openapi/operation-docs';
import { UsageReportDto, UsageReportResponse } from './events.dto';

/**
 * What services that verify tokens in their own process (the SDK) talk to: the feed of changes that
 * must reach their caches, and the reports of the verifies they answered from them.
 */
@ApiTags('events')
@Controller('v1')
export class EventsController {
  constructor(
    private readonly feed: EventsFeed,
    private readonly reports: UsageReports,
  ) {}

  @Sse('events/stream')
  @RequireScopes('custos:tokens:verify')
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'Resume after this event (EventSource sends it when it reconnects).' })
  @ApiOkResponse({ description: 'Server-Sent Events: `token`, `tenant`, `reset` and `heartbeat` (docs/sdk.md#the-events-feed).', content: { 'text/event-stream': { schema: { type: 'string' } } } })
  @ApiDoc({
    summary: "The tenant's token changes as Server-Sent Events, for caches of verify answers",
    description:
      'Every revocation, suspension, rotation, narrowing, consent withdrawal and verify-relevant policy change of your tenant, each with its id; ' +
      `a heartbeat at once and every ${FEED_HEARTBEAT_SECONDS} s; resumable with Last-Event-ID while the event is kept (CUSTOS_FEED_RETENTION_SECONDS), else a \`reset\`. ` +
      'Token ids and lookup ids only, nothing secret. 503 while this instance cannot follow the feed (Redis away): answer from Custos meanwhile.',
  })
  stream(@CurrentPrincipal() principal: Principal, @Headers('last-event-id') lastEventId: string | undefined): Observable<MessageEvent> {
    // Followed before the stream is returned, so a feed that cannot be followed answers 503 rather than an empty stream.
    const relay = new Relay();
    const following = this.feed.follow(principal, lastEventId?.trim() || undefined, relay);
    return new Observable<MessageEvent>((subscriber) => {
      relay.attach(subscriber);
      const beat = setInterval(() => relay.heartbeat(following.cursor), FEED_HEARTBEAT_SECONDS * 1000);
      return () => {
        clearInterval(beat);
        following.close();
      };
    });
  }

  @Post('usage/report')
  @HttpCode(202)
  @RequireScopes('custos:tokens:verify')
  @ApiAcceptedResponse({ type: UsageReportResponse })
  @ApiDoc({
    summary: 'Report verifies answered from a cache in your own process (the SDK), so usage and last-used stay true',
    description:
      'Each use becomes a usage event of the token, as a verify through the api does (the same buffers and batched writes); VALID ones count as uses (last used, use counts, scopes used). ' +
      'At most 1000 uses per report, each within the last 24 hours. Uses naming no token of your tenant are ignored and counted.',
    example: { uses: [{ tokenId: 'tok_0Lq3eV1a8dX2m9pQ4rT7sW', code: 'VALID', ip: '203.0.113.7', scopes: ['orders:read'] }] },
  })
  report(@CurrentPrincipal() principal: Principal, @Body() body: UsageReportDto, @Req() request: FastifyRequest): Promise<UsageReportResult> {
    const now = new Date();
    return this.reports.report(principal, body.uses.map((use) => ({ ...use, at: use.at ?? now })), originOf(request));
  }
}

/**
 * The feed's listener for one client: holds what arrives before Nest subscribes, then passes it on.
 * Every event carries an id, as Nest numbers those without one: heartbeats and resets carry the id the
 * client stands at, so its Last-Event-ID is always a point of the feed it can resume from.
 */
class Relay implements FeedListener {
  private subscriber: Subscriber<MessageEvent> | undefined;
  private readonly early: MessageEvent[] = [];
  private ended = false;

  attach(subscriber: Subscriber<MessageEvent>): void {
    this.subscriber = subscriber;
    for (const event of this.early.splice(0)) subscriber.next(event);
    if (this.ended) subscriber.complete();
  }

  entry(entry: { id: string; event: string; data: object }): void {
    this.send({ id: entry.id, type: entry.event, data: entry.data });
  }

  /** The first heartbeat goes out at once: the client knows it is connected and where it stands. */
  caughtUp(cursor: string): void {
    this.heartbeat(cursor);
  }

  reset(cursor: string): void {
    this.send({ id: cursor, type: FEED_EVENT_NAMES.reset, data: {} });
  }

  heartbeat(cursor: string | undefined): void {
    // Not caught up yet: the first heartbeat is on its way.
    if (cursor !== undefined) this.send({ id: cursor, type: FEED_EVENT_NAMES.heartbeat, data: { at: new Date().toISOString() } });
  }

  end(): void {
    if (this.subscriber) this.subscriber.complete();
    else this.ended = true;
  }

  private send(event: MessageEvent): void {
    if (this.subscriber) this.subscriber.next(event);
    else this.early.push(event);
  }
}
