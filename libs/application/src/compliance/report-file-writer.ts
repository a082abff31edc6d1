import { createHash, type Hash } from 'node:crypto';
import type { ReportRepository, Tx } from '@custos/persistence';

export type ReportParts = Pick<ReportRepository, 'insertPart'>;

/** Parts of a stored report file: big enough to keep the row count low, small enough to stream. */
export const REPORT_PART_BYTES = 1024 * 1024;

/**
 * Where a renderer writes a report: bytes are hashed as they come and stored in parts of
 * REPORT_PART_BYTES in the generating transaction, so at most one part is held in memory.
 */
export class ReportFileWriter {
  private readonly hash: Hash = createHash('sha256');
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private part = 0;
  private size = 0;

  constructor(
    private readonly parts: ReportParts,
    private readonly tx: Tx,
    private readonly reportId: string,
  ) {}

  async write(chunk: string | Buffer): Promise<void> {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    if (bytes.length === 0) return;
    this.hash.update(bytes);
    this.size += bytes.length;
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    while (this.pendingBytes >= REPORT_PART_BYTES) await this.flush(REPORT_PART_BYTES);
  }

  /** Stores what is left and answers the file's size and SHA-256 (hex). */
  async close(): Promise<{ size: number; sha256: string }> {
    if (this.pendingBytes > 0) await this.flush(this.pendingBytes);
    return { size: this.size, sha256: this.hash.digest('hex') };
  }

  private async flush(bytes: number): Promise<void> {
    const all = Buffer.concat(this.pending);
    const data = all.subarray(0, bytes);
    const rest = all.subarray(bytes);
    this.pending = rest.length > 0 ? [Buffer.from(rest)] : [];
    this.pendingBytes = rest.length;
    await this.parts.insertPart(this.tx, this.reportId, this.part++, data);
  }
}
