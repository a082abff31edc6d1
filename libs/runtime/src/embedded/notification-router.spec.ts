import fc from 'fast-check';
import { listenStatement, NotificationRouter, NotificationSplitter, type NotificationTarget } from './notification-router';

function message(type: string, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0, 'latin1');
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

function notification(channel: string, payload: string): Buffer {
  const pid = Buffer.alloc(4);
  pid.writeInt32BE(42);
  return message('A', Buffer.concat([pid, Buffer.from(`${channel}\0${payload}\0`)]));
}

const other = fc.oneof(
  fc.uint8Array({ maxLength: 300 }).map((bytes) => message('D', Buffer.from(bytes))),
  fc.constant(message('1', Buffer.alloc(0))),
  fc.constant(message('Z', Buffer.from('I'))),
);
const note = fc.tuple(fc.stringMatching(/^[a-z_]{1,12}$/), fc.string({ maxLength: 200 })).map(([c, p]) => notification(c, p));

describe('NotificationSplitter', () => {
  it('passes every other message on unchanged and in order, and takes out each notification whole, however the stream is cut', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(other, note), { maxLength: 30 }), fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1 }), (messages, cuts) => {
        const stream = Buffer.concat(messages);
        const splitter = new NotificationSplitter();
        const passed: Buffer[] = [];
        const taken: Buffer[] = [];
        for (let at = 0, i = 0; at < stream.length; i++) {
          const size = cuts[i % cuts.length]!;
          splitter.split(stream.subarray(at, at + size), (b) => passed.push(Buffer.from(b)), (n) => taken.push(n));
          at += size;
        }
        expect(Buffer.concat(passed)).toEqual(Buffer.concat(messages.filter((m) => m[0] !== 0x41)));
        expect(taken).toEqual(messages.filter((m) => m[0] === 0x41));
      }),
    );
  });
});

describe('NotificationRouter', () => {
  const target = (): NotificationTarget & { got: Buffer[] } => {
    const got: Buffer[] = [];
    return { got, deliver: (m) => got.push(m) };
  };

  it('delivers to the listeners of the channel, tells the sender whether it listens itself, and forgets who unlistens', () => {
    const router = new NotificationRouter();
    const [a, b, sender] = [target(), target(), target()];
    router.listen(a, 'jobs');
    router.listen(b, 'jobs');
    router.listen(sender, 'jobs');
    router.listen(b, 'other');
    router.unlisten(b, 'jobs');
    expect(router.route(notification('jobs', 'x'), sender)).toBe(true);
    expect(router.route(notification('other', 'y'), sender)).toBe(false);
    router.unlisten(a, '*');
    router.route(notification('jobs', 'z'), sender);
    expect({ a: a.got.length, b: b.got.length, sender: sender.got.length }).toEqual({ a: 1, b: 1, sender: 0 });
  });
});

describe('listenStatement', () => {
  it('reads the channel as the server folds it', () => {
    expect(listenStatement('LISTEN bullmq_jobs')).toEqual({ listen: true, channel: 'bullmq_jobs' });
    expect(listenStatement(' listen Custos_Tokens ;')).toEqual({ listen: true, channel: 'custos_tokens' });
    expect(listenStatement('LISTEN "Mixed ""Case"""')).toEqual({ listen: true, channel: 'Mixed "Case"' });
    expect(listenStatement('UNLISTEN *')).toEqual({ listen: false, channel: '*' });
    expect(listenStatement('UNLISTEN jobs')).toEqual({ listen: false, channel: 'jobs' });
  });

  it('leaves every other statement alone', () => {
    for (const sql of ['LISTEN *', 'SELECT 1', 'LISTEN a; SELECT 1', 'NOTIFY jobs', "SELECT 'LISTEN x'"]) expect(listenStatement(sql)).toBeNull();
  });
});
