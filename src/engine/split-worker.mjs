// Entry of the document-splitting worker thread (see isolated-splitter.ts). Plain JavaScript that registers tsx
// itself, so the thread starts the same way under npm start, the CLI and the tests.
import { register } from 'tsx/esm/api';

register();
await import('./split-worker-thread.ts');
