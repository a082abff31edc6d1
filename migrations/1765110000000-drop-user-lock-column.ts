import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Lock-outs moved out of the users table into the log-in throttle (Redis, shared by every api
 * instance, keyed by account and address): a lock on the account let anyone lock its owner out with
 * five guesses, and answered differently from an unknown account. The failure count stays, counted
 * atomically.
 */
export class DropUserLockColumn1765110000000 implements MigrationInterface {
  name = 'DropUserLockColumn1765110000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users DROP COLUMN locked_until`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN locked_until timestamptz`);
  }
}
