import http from 'node:http';
import { Pool } from 'pg';

/**
 * The floor: what no framework can beat on this machine. A bare node:http server that reads the body, parses
 * the JSON, and INSERTs it in one transaction on the same PostgreSQL as kitbridge. Prints its port.
 */
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });

async function main() {
  await pool.query('create table if not exists floor_deliveries (id bigserial primary key, body jsonb not null)');
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const client = await pool.connect();
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        await client.query('begin');
        const { rows } = await client.query('insert into floor_deliveries (body) values ($1) returning id', [body]);
        await client.query('commit');
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify({ id: String(rows[0].id) }));
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        res.statusCode = 500;
        res.end(String(error));
      } finally {
        client.release();
      }
    });
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write(`${(server.address() as { port: number }).port}\n`));
}

void main();
