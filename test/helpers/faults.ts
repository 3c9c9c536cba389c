import type { TestApp } from './app';

/** Makes kitbridge's own database refuse new kits, as an outage would, until the returned function runs. */
export async function refuseKitInserts(app: Pick<TestApp, 'db'>): Promise<() => Promise<unknown>> {
  await app.db.raw(`create or replace function refuse_kits() returns trigger language plpgsql as $$
    begin raise exception 'injected outage' using errcode = '57P01'; end $$`);
  await app.db.raw('create trigger refuse_kits before insert on kits for each statement execute function refuse_kits()');
  return () => app.db.raw('drop trigger refuse_kits on kits');
}
