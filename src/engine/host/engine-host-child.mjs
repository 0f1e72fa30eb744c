// Entry of the engine process (see engine-host.ts). Plain JavaScript that registers tsx itself, so it starts the
// same way under npm start and the tests.
import { register } from 'tsx/esm/api';

register();
await import('./engine-host-process.ts');
