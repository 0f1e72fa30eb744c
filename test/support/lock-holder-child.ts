/**
 * Child process for lock tests: takes the reindex lock of the folder in argv[2], prints "locked", and holds it
 * until its stdin closes, then releases it and exits. Run: node --import tsx test/support/lock-holder-child.ts <dir>
 */
import { acquireReindexLock } from '../../src/store/file-store/reindex-lock.ts';

const release = acquireReindexLock(process.argv[2]!);
process.stdout.write('locked\n');
process.stdin.resume();
process.stdin.on('end', () => release());
