/**
 * The sslmode Lab's one server answers on every IP address the connection string dials, so verify-full to an IP
 * is decided by the certificate (its IP SAN 127.0.0.1), not by a refused connection.
 */
import { describe, expect, it } from 'vitest';
import { explainConnection } from '../../../src/lib/sslmode/index.ts';
import { buildScenario, sslmodeControls } from '../../../src/app/model/sslmode/scenario.ts';

const run = (conninfo: string) =>
  explainConnection(buildScenario(sslmodeControls({ conninfo, root: 'root-a' })));

describe('the lab server listens on the IP hosts typed', () => {
  it('verify-full to an IP the certificate does not name fails on the name, not on the network', async () => {
    const out = await run('host=10.0.0.5 dbname=app user=app password=secret sslmode=verify-full');
    expect(out.error).toBe(
      'connection to server at "10.0.0.5", port 5432 failed: server certificate for "db.example.test" (and 1 other name) does not match host name "10.0.0.5"',
    );
  });

  it('hostaddr and an IPv6 URL host are dialled too; 127.1 is 127.0.0.1, which the certificate names', async () => {
    expect(
      (
        await run(
          'host=db.example.test hostaddr=10.0.0.7 dbname=app user=app password=secret sslmode=verify-full',
        )
      ).connected,
    ).toBe(true);
    // The lab's pg_hba lines are IPv4 (0.0.0.0/0): the server answered, and refused the IPv6 client.
    expect((await run('postgresql://app:secret@[2001:db8::5]/app?sslmode=require')).error).toContain(
      'no pg_hba.conf entry for host "2001:db8::5"',
    );
    expect((await run('host=127.1 dbname=app user=app password=secret sslmode=verify-full')).connected).toBe(
      true,
    );
  });
});
