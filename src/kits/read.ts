import type { Knex } from 'knex';
import { idOf, jsonOf, type Db } from '../db/database';
import { isKitId } from './id';
import { toStoredLine, type KitRow, type StoredLine, type TeamRow } from './stored';

/** Reading stored kits for their pages and for the operator. Every function takes a knex or a transaction. */

export async function findKit(db: Db, id: string): Promise<KitRow | undefined> {
  if (!isKitId(id)) return undefined;
  const row = await db('kits').where({ id }).first();
  if (!row) return undefined;
  return {
    id: idOf(row.id),
    name: row.name,
    productName: row.product_name,
    categoryName: row.category_name,
    designName: row.design_name,
    html: row.html,
    quantity: Number(row.quantity),
    total: String(row.total),
    declaredPrice: String(row.declared_price),
    imageName: row.image_name,
    warnings: jsonOf(row.warnings),
    createdAt: new Date(row.created_at),
  };
}

export async function findLines(db: Db, kitId: string): Promise<StoredLine[]> {
  const rows = await db('kit_lines as l')
    .leftJoin('kit_line_nop_products as n', 'n.line_id', 'l.id')
    .where('l.kit_id', kitId)
    .orderBy('l.position')
    .select('l.id', 'l.position', 'l.size', 'l.quantity', 'l.sku', 'l.unit_price as unitPrice', 'l.tax_exempt as taxExempt',
      'n.nop_product_id as nopProductId', 'n.slug');
  return rows.map(toStoredLine);
}

/** The roster: every team in order, each with its units in order (a team may have none). */
export async function findTeams(db: Db, kitId: string): Promise<TeamRow[]> {
  const rows = await db('kit_teams as t')
    .leftJoin('kit_units as u', 'u.team_id', 't.id')
    .where('t.kit_id', kitId)
    .orderBy([{ column: 't.position' }, { column: 'u.position' }])
    .select('t.id as team_id', 't.name as team_name', 'u.id as unit_id', 'u.name', 'u.number', 'u.size', 'u.sku', 'u.line_id');
  const teams = new Map<string, TeamRow>();
  for (const row of rows) {
    const teamId = idOf(row.team_id);
    if (!teams.has(teamId)) teams.set(teamId, { name: row.team_name, units: [] });
    if (row.unit_id === null) continue;
    teams.get(teamId)!.units.push({
      name: row.name,
      number: row.number,
      size: row.size,
      sku: row.sku,
      lineId: row.line_id === null ? null : idOf(row.line_id),
    });
  }
  return [...teams.values()];
}

/** A kit in a list: enough to recognise it, and the teams and players that matched a search. */
export interface KitListing {
  id: string;
  name: string;
  quantity: number;
  createdAt: Date;
  matches: Array<{ team: string; player?: { name: string; number: string } }>;
}

/** The most kits a search answers with; a shop owner narrows the words rather than scrolls. */
export const SEARCH_LIMIT = 50;
const MATCHES_PER_KIT = 5;

/** `text` as a LIKE pattern that matches it literally anywhere (its own % _ and \ escaped). */
const containing = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Kits whose name, or a team's name, or a player's name contains `query` (case-insensitive), newest first, at
 * most `limit`; without a query, the newest kits. Each comes with the teams and players that matched.
 */
export async function searchKits(db: Db, query: string, limit = SEARCH_LIMIT): Promise<KitListing[]> {
  const words = query.trim();
  const pattern = containing(words);
  /** Teams (with their units) of the kits `ofKits` picks, where the team's or a unit's name matches. */
  const teamMatches = (ofKits: (teams: Knex.QueryBuilder) => Knex.QueryBuilder) =>
    ofKits(db('kit_teams as t').leftJoin('kit_units as u', 'u.team_id', 't.id'))
      .where((w) => w.where('t.name', 'ilike', pattern).orWhere('u.name', 'ilike', pattern));
  const kits = db('kits as k').orderBy([{ column: 'k.created_at', order: 'desc' }, { column: 'k.id' }]).limit(limit)
    .select('k.id', 'k.name', 'k.quantity', 'k.created_at');
  if (words) {
    kits.where((w) =>
      w.where('k.name', 'ilike', pattern).orWhereExists(teamMatches((t) => t.where('t.kit_id', db.ref('k.id'))).select(db.raw('1'))),
    );
  }
  const rows = await kits;
  const found = new Map<string, KitListing>(
    rows.map((row) => [idOf(row.id), { id: idOf(row.id), name: row.name, quantity: Number(row.quantity), createdAt: new Date(row.created_at), matches: [] }]),
  );
  if (words && found.size > 0) {
    const matched = await teamMatches((t) => t.whereIn('t.kit_id', [...found.keys()]))
      .orderBy([{ column: 't.position' }, { column: 'u.position' }])
      .select('t.kit_id', 't.name as team', 'u.name', 'u.number', db.raw('u.name ilike ? as player_matched', [pattern]));
    for (const row of matched) {
      const kit = found.get(idOf(row.kit_id))!;
      const player = row.player_matched ? { name: row.name, number: row.number } : undefined;
      if (kit.matches.length >= MATCHES_PER_KIT) continue;
      if (!player && kit.matches.some((m) => m.team === row.team)) continue;
      kit.matches.push({ team: row.team, ...(player ? { player } : {}) });
    }
  }
  return [...found.values()];
}

/** The kits whose lines these shop products sell (for a nopCommerce order's print sheet). */
export async function kitIdsOfShopProducts(db: Db, productIds: number[]): Promise<string[]> {
  if (productIds.length === 0) return [];
  const rows = await db('kit_line_nop_products as n').join('kit_lines as l', 'l.id', 'n.line_id')
    .whereIn('n.nop_product_id', productIds).distinct('l.kit_id');
  return rows.map((row) => idOf(row.kit_id));
}

/** The kit line each of these shop products sells: its kit (id and name), size and place among the kit's lines. */
export async function kitLinesOfShopProducts(db: Db, productIds: number[]) {
  if (productIds.length === 0) return [];
  const rows = await db('kit_line_nop_products as n').join('kit_lines as l', 'l.id', 'n.line_id').join('kits as k', 'k.id', 'l.kit_id')
    .whereIn('n.nop_product_id', productIds).select('n.nop_product_id', 'l.kit_id', 'k.name', 'l.size', 'l.position');
  return rows.map((row) => ({ productId: Number(row.nop_product_id), kitId: idOf(row.kit_id), kitName: String(row.name), size: String(row.size), position: Number(row.position) }));
}

export async function isImageReferenced(db: Db, imageName: string): Promise<boolean> {
  return Boolean(await db('kits').where({ image_name: imageName }).first('id'));
}

/** How many kits are stored, and the bytes of their distinct images. */
export async function kitStats(db: Db): Promise<{ kits: number; imageBytes: number }> {
  const [images] = await db
    .from(db('kits').whereNotNull('image_name').distinct('image_name', 'image_bytes').as('i'))
    .sum({ bytes: 'image_bytes' });
  const [kits] = await db('kits').count({ n: '*' });
  return { kits: Number(kits?.n ?? 0), imageBytes: Number(images?.bytes ?? 0) };
}
