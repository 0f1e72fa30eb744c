// Entry of the document-splitting child process (see isolated-splitter.ts). Plain JavaScript that registers tsx
// itself, so it starts the same way under npm start, the CLI and the tests.
import { register } from 'tsx/esm/api';

register();
await import('./split-child-process.ts');
