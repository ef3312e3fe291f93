/**
 * One import run in a process of its own, against the table the environment names, in small
 * chunks and with a one-second lease, so a test can kill it (SIGKILL) mid-file and resume.
 * Usage: tsx test/support/import-run-process.ts <shopId> <importId>
 */
import { runImport } from '../../shared/app/import-service';
import { importDeps } from '../../shared/wiring/import-runtime';
import { runtime } from '../../shared/wiring/runtime';

const [shopId, importId] = process.argv.slice(2);
await runImport(
  { ...importDeps(runtime()), chunkSize: 10, leaseMs: 1000, concurrency: 2 },
  { shopId: shopId!, importId: importId! },
);
