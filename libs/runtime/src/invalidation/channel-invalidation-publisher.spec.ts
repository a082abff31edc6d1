import type { TokenInvalidationMessage } from '@custos/contracts';
import { ChannelInvalidationPublisher } from './channel-invalidation-publisher';
import type { InvalidationChannel } from './invalidation-channel';

function recordingChannel(maxMessageBytes: number, fail = false): InvalidationChannel & { sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    maxMessageBytes,
    publish: async (raw) => {
      if (fail) throw new Error('broker away');
      sent.push(raw);
    },
    subscribe: () => undefined,
    close: async () => undefined,
  };
}

describe('ChannelInvalidationPublisher', () => {
  it('splits a bulk revocation into messages the channel carries (a NOTIFY takes < 8000 bytes), losing no token', async () => {
    const channel = recordingChannel(7999);
    const lookupIds = Array.from({ length: 2_000 }, (_, i) => `lk${String(i).padStart(10, '0')}`);
    await new ChannelInvalidationPublisher(channel, 'api-1', () => undefined).publish(lookupIds, ['tenant-1']);
    expect(channel.sent.length).toBeGreaterThan(1);
    for (const raw of channel.sent) expect(Buffer.byteLength(raw)).toBeLessThanOrEqual(7999);
    const messages = channel.sent.map((raw) => JSON.parse(raw) as TokenInvalidationMessage);
    expect(messages.flatMap((m) => m.lookupIds)).toEqual(lookupIds);
    expect(messages.every((m) => m.origin === 'api-1')).toBe(true);
    expect(messages.filter((m) => m.tenantIds).map((m) => m.tenantIds)).toEqual([['tenant-1']]);
  });

  it('sends one message when it fits, a tenant-wide one included', async () => {
    const channel = recordingChannel(512 * 1024 * 1024);
    await new ChannelInvalidationPublisher(channel, 'worker-1', () => undefined).publish([], ['tenant-2']);
    expect(channel.sent.map((raw) => JSON.parse(raw) as unknown)).toEqual([{ origin: 'worker-1', lookupIds: [], tenantIds: ['tenant-2'] }]);
  });

  it('never fails the change it announces: a broker failure is reported, not thrown', async () => {
    const failures: unknown[] = [];
    await new ChannelInvalidationPublisher(recordingChannel(7999, true), 'api-1', (error) => failures.push(error)).publish(['lk1']);
    expect(failures).toHaveLength(1);
  });
});
